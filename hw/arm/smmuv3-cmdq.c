/*
 * SMMUv3 command queue: each 16-byte command is decoded once into an
 * SMMUv3Cmd (by the field layout of its family), then handed to one small
 * function for its opcode.
 *
 * The queue runs while CMDQEN is set and no command error is pending.
 * A failing command stops it with CMDQ_CONS pointing at the command,
 * CMDQ_CONS.ERR holding the reason and GERROR.CMDQ_ERR active; it
 * restarts when software acknowledges through GERRORN.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "smmuv3-internal.h"

/* Field layouts of the command families. */
typedef enum SMMUv3CmdFormat {
    CMD_FMT_NONE,
    CMD_FMT_SID, /* CFGI, PREFETCH, PRI/stall responses */
    CMD_FMT_TLBI,
    CMD_FMT_ATC,
    CMD_FMT_SYNC,
} SMMUv3CmdFormat;

typedef SMMUv3CmdError (*SMMUv3CmdFn)(SMMUv3State *s, const SMMUv3Cmd *cmd);

typedef struct SMMUv3CmdDesc {
    const char *name;
    SMMUv3CmdFormat format;
    SMMUv3CmdFn run;
} SMMUv3CmdDesc;

static bool smmuv3_s2_supported(SMMUv3State *s)
{
    return FIELD_EX32(s->idr[0], IDR0, S2P);
}

static bool smmuv3_sid_valid(SMMUv3State *s, uint32_t sid)
{
    return !(sid >> FIELD_EX32(s->idr[1], IDR1, SIDSIZE));
}

static bool smmuv3_ssid_valid(SMMUv3State *s, uint32_t ssid)
{
    return !(ssid >> FIELD_EX32(s->idr[1], IDR1, SSIDSIZE));
}

/* ---- Per-opcode handlers ---- */

/* Prefetches, ATC invalidation (no ATC is modelled) and the PRI/stall
 * responses only check their StreamID. */
static SMMUv3CmdError cmd_sid_only(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    return smmuv3_sid_valid(s, cmd->sid) ? CERROR_NONE : CERROR_ILL;
}

static SMMUv3CmdError cmd_cfgi_ste(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    if (!smmuv3_sid_valid(s, cmd->sid)) {
        return CERROR_ILL;
    }
    smmuv3_config_inv_range(s, cmd->sid, cmd->sid);
    return CERROR_NONE;
}

/* 2^(Range + 1) StreamIDs, aligned; Range 31 means all of them. */
static SMMUv3CmdError cmd_cfgi_ste_range(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    uint32_t span_mask;

    if (cmd->ste_range == CMD_STE_RANGE_ALL) {
        smmuv3_config_inv_all(s);
        return CERROR_NONE;
    }
    span_mask = MAKE_64BIT_MASK(0, cmd->ste_range + 1);
    smmuv3_config_inv_range(s, cmd->sid & ~span_mask, cmd->sid | span_mask);
    return CERROR_NONE;
}

static SMMUv3CmdError cmd_cfgi_cd(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    if (!smmuv3_sid_valid(s, cmd->sid) || !smmuv3_ssid_valid(s, cmd->ssid)) {
        return CERROR_ILL;
    }
    smmuv3_config_inv_range(s, cmd->sid, cmd->sid);
    return CERROR_NONE;
}

static SMMUv3CmdError cmd_cfgi_all(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    smmuv3_config_inv_all(s);
    return CERROR_NONE;
}

/* Without stage 2 the VMID of stage-1 commands is ignored. */
static int tlbi_vmid(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    return smmuv3_s2_supported(s) ? cmd->vmid : -1;
}

/*
 * The addresses a TLBI_*_VA/IPA covers: with TG set and range
 * invalidation, (NUM + 1) << SCALE granules from the aligned address;
 * with TG set, one granule; without TG, whatever maps the address.
 */
static void tlbi_range(SMMUv3State *s, const SMMUv3Cmd *cmd, SMMUInvRange *r)
{
    static const uint8_t tg_granule[] = {0, 12, 14, 16};
    unsigned granule = tg_granule[cmd->tg];

    r->addr = cmd->addr;
    r->size = 1;
    if (!granule) {
        return;
    }
    r->addr &= ~MAKE_64BIT_MASK(0, granule);
    r->size = 1ULL << granule;
    if (FIELD_EX32(s->idr[3], IDR3, RIL)) {
        r->size = ((uint64_t)cmd->num + 1) << (cmd->scale + granule);
    }
}

static SMMUv3CmdError cmd_tlbi_nh(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    SMMUInvRange r = {
        .kind = SMMU_INV_S1,
        .asid = -1,
        .vmid = tlbi_vmid(s, cmd),
    };

    if (cmd->op == CMD_TLBI_NH_ASID || cmd->op == CMD_TLBI_NH_VA) {
        r.asid = cmd->asid;
    }
    if (cmd->op == CMD_TLBI_NH_VA || cmd->op == CMD_TLBI_NH_VAA) {
        tlbi_range(s, cmd, &r);
    }
    smmu_iotlb_inv(&s->smmu_state.iotlb, &r);
    return CERROR_NONE;
}

/* Secure (EL3) commands on the Non-secure queue, and EL2 ones without
 * IDR0.HYP, are illegal. */
static SMMUv3CmdError cmd_illegal(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    return CERROR_ILL;
}

static SMMUv3CmdError cmd_tlbi_s12_vmall(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    SMMUInvRange r = {.kind = SMMU_INV_ANY, .asid = -1, .vmid = cmd->vmid};

    if (!smmuv3_s2_supported(s)) {
        return CERROR_ILL;
    }
    smmu_iotlb_inv(&s->smmu_state.iotlb, &r);
    return CERROR_NONE;
}

static SMMUv3CmdError cmd_tlbi_s2_ipa(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    SMMUInvRange r = {.kind = SMMU_INV_S2, .asid = -1, .vmid = cmd->vmid};

    if (!smmuv3_s2_supported(s)) {
        return CERROR_ILL;
    }
    tlbi_range(s, cmd, &r);
    smmu_iotlb_inv(&s->smmu_state.iotlb, &r);
    return CERROR_NONE;
}

static SMMUv3CmdError cmd_tlbi_nsnh_all(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    smmu_iotlb_inv_all(&s->smmu_state.iotlb);
    return CERROR_NONE;
}

/* Commands complete in order, so a sync only has to signal. */
static SMMUv3CmdError cmd_sync(SMMUv3State *s, const SMMUv3Cmd *cmd)
{
    Error *err = NULL;

    if (cmd->sync_cs > CMD_SYNC_CS_SEV) {
        return CERROR_ILL;
    }
    if (s->accel_ops && s->accel_ops->sync && !s->accel_ops->sync(s, &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmuv3: CMD_SYNC: %s\n",
                      error_get_pretty(err));
        error_free(err);
        return CERROR_ILL;
    }
    if (cmd->sync_cs == CMD_SYNC_CS_IRQ) {
        smmuv3_irq_pulse_cmd_sync(s);
    }
    return CERROR_NONE;
}

static const SMMUv3CmdDesc smmuv3_cmds[256] = {
    [CMD_PREFETCH_CONFIG] = {"PREFETCH_CONFIG", CMD_FMT_SID, cmd_sid_only},
    [CMD_PREFETCH_ADDR] = {"PREFETCH_ADDR", CMD_FMT_SID, cmd_sid_only},
    [CMD_CFGI_STE] = {"CFGI_STE", CMD_FMT_SID, cmd_cfgi_ste},
    [CMD_CFGI_STE_RANGE] = {"CFGI_STE_RANGE", CMD_FMT_SID, cmd_cfgi_ste_range},
    [CMD_CFGI_CD] = {"CFGI_CD", CMD_FMT_SID, cmd_cfgi_cd},
    [CMD_CFGI_CD_ALL] = {"CFGI_CD_ALL", CMD_FMT_SID, cmd_cfgi_ste},
    [CMD_CFGI_ALL] = {"CFGI_ALL", CMD_FMT_NONE, cmd_cfgi_all},
    [CMD_TLBI_NH_ALL] = {"TLBI_NH_ALL", CMD_FMT_TLBI, cmd_tlbi_nh},
    [CMD_TLBI_NH_ASID] = {"TLBI_NH_ASID", CMD_FMT_TLBI, cmd_tlbi_nh},
    [CMD_TLBI_NH_VA] = {"TLBI_NH_VA", CMD_FMT_TLBI, cmd_tlbi_nh},
    [CMD_TLBI_NH_VAA] = {"TLBI_NH_VAA", CMD_FMT_TLBI, cmd_tlbi_nh},
    [CMD_TLBI_EL3_ALL] = {"TLBI_EL3_ALL", CMD_FMT_TLBI, cmd_illegal},
    [CMD_TLBI_EL3_VA] = {"TLBI_EL3_VA", CMD_FMT_TLBI, cmd_illegal},
    [CMD_TLBI_EL2_ALL] = {"TLBI_EL2_ALL", CMD_FMT_TLBI, cmd_illegal},
    [CMD_TLBI_EL2_ASID] = {"TLBI_EL2_ASID", CMD_FMT_TLBI, cmd_illegal},
    [CMD_TLBI_EL2_VA] = {"TLBI_EL2_VA", CMD_FMT_TLBI, cmd_illegal},
    [CMD_TLBI_EL2_VAA] = {"TLBI_EL2_VAA", CMD_FMT_TLBI, cmd_illegal},
    [CMD_TLBI_S12_VMALL] = {"TLBI_S12_VMALL", CMD_FMT_TLBI, cmd_tlbi_s12_vmall},
    [CMD_TLBI_S2_IPA] = {"TLBI_S2_IPA", CMD_FMT_TLBI, cmd_tlbi_s2_ipa},
    [CMD_TLBI_NSNH_ALL] = {"TLBI_NSNH_ALL", CMD_FMT_TLBI, cmd_tlbi_nsnh_all},
    [CMD_ATC_INV] = {"ATC_INV", CMD_FMT_ATC, cmd_sid_only},
    [CMD_PRI_RESP] = {"PRI_RESP", CMD_FMT_SID, cmd_sid_only},
    [CMD_RESUME] = {"RESUME", CMD_FMT_SID, cmd_sid_only},
    [CMD_STALL_TERM] = {"STALL_TERM", CMD_FMT_SID, cmd_sid_only},
    [CMD_SYNC] = {"CMD_SYNC", CMD_FMT_SYNC, cmd_sync},
};

/* ---- Decode and dispatch ---- */

static void cmd_decode_sid(SMMUv3Cmd *cmd)
{
    cmd->sid = FIELD_EX64(cmd->raw[0], CMD0, SID);
    cmd->ssv = FIELD_EX64(cmd->raw[0], CMD0, SSV);
    cmd->ssid = FIELD_EX64(cmd->raw[0], CMD0, SSID);
    cmd->leaf = FIELD_EX64(cmd->raw[1], CMD1, LEAF);
    cmd->ste_range = FIELD_EX64(cmd->raw[1], CMD1, STE_RANGE);
}

static void cmd_decode_tlbi(SMMUv3Cmd *cmd)
{
    cmd->asid = FIELD_EX64(cmd->raw[0], CMD0, TLBI_ASID);
    cmd->vmid = FIELD_EX64(cmd->raw[0], CMD0, TLBI_VMID);
    cmd->num = FIELD_EX64(cmd->raw[0], CMD0, TLBI_NUM);
    cmd->scale = FIELD_EX64(cmd->raw[0], CMD0, TLBI_SCALE);
    cmd->leaf = FIELD_EX64(cmd->raw[1], CMD1, LEAF);
    cmd->ttl = FIELD_EX64(cmd->raw[1], CMD1, TLBI_TTL);
    cmd->tg = FIELD_EX64(cmd->raw[1], CMD1, TLBI_TG);
    /* IPAs are 52-bit; VAs use the whole field. */
    cmd->addr = cmd->op == CMD_TLBI_S2_IPA ? cmd->raw[1] & R_CMD1_IPA_MASK
                                           : cmd->raw[1] & R_CMD1_ADDR_MASK;
}

static void cmd_decode_atc(SMMUv3Cmd *cmd)
{
    cmd->sid = FIELD_EX64(cmd->raw[0], CMD0, SID);
    cmd->ssv = FIELD_EX64(cmd->raw[0], CMD0, SSV);
    cmd->ssid = FIELD_EX64(cmd->raw[0], CMD0, SSID);
    cmd->atc_global = FIELD_EX64(cmd->raw[0], CMD0, ATC_GLOBAL);
    cmd->atc_size = FIELD_EX64(cmd->raw[1], CMD1, ATC_SIZE);
    cmd->addr = cmd->raw[1] & R_CMD1_ADDR_MASK;
}

/* False for an opcode the architecture does not define. */
static bool smmuv3_cmd_decode(const uint64_t raw[2], SMMUv3Cmd *cmd)
{
    const SMMUv3CmdDesc *desc;

    memset(cmd, 0, sizeof(*cmd));
    cmd->raw[0] = raw[0];
    cmd->raw[1] = raw[1];
    cmd->op = FIELD_EX64(raw[0], CMD0, OPCODE);
    desc = &smmuv3_cmds[cmd->op];
    if (!desc->run) {
        return false;
    }
    cmd->name = desc->name;
    switch (desc->format) {
    case CMD_FMT_SID:
        cmd_decode_sid(cmd);
        break;
    case CMD_FMT_TLBI:
        cmd_decode_tlbi(cmd);
        break;
    case CMD_FMT_ATC:
        cmd_decode_atc(cmd);
        break;
    case CMD_FMT_SYNC:
        cmd->sync_cs = FIELD_EX64(raw[0], CMD0, SYNC_CS);
        break;
    case CMD_FMT_NONE:
        break;
    }
    return true;
}

static SMMUv3CmdError smmuv3_cmd_run(SMMUv3State *s, const uint64_t raw[2])
{
    SMMUv3Cmd cmd;
    SMMUv3CmdError ret;
    Error *err = NULL;

    if (!smmuv3_cmd_decode(raw, &cmd)) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmuv3: illegal command opcode 0x%x\n",
                      cmd.op);
        return CERROR_ILL;
    }
    ret = smmuv3_cmds[cmd.op].run(s, &cmd);
    if (ret != CERROR_NONE || cmd.op == CMD_SYNC || !s->accel_ops ||
        !s->accel_ops->cmd) {
        return ret;
    }
    if (!s->accel_ops->cmd(s, &cmd, &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmuv3: %s: %s\n", cmd.name,
                      error_get_pretty(err));
        error_free(err);
        return CERROR_ILL;
    }
    return CERROR_NONE;
}

static void smmuv3_cmdq_error(SMMUv3State *s, SMMUv3CmdError err)
{
    s->cmdq.cons = FIELD_DP32(s->cmdq.cons, CMDQ_CONS, ERR, err);
    smmuv3_gerror_raise(s, R_GERROR_CMDQ_ERR_MASK);
}

/* Lets the accelerated backend flush what the drained queue batched. */
static void smmuv3_cmdq_drained(SMMUv3State *s)
{
    Error *err = NULL;

    if (s->accel_ops && s->accel_ops->sync && !s->accel_ops->sync(s, &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmuv3: command queue: %s\n",
                      error_get_pretty(err));
        error_free(err);
    }
}

void smmuv3_cmdq_consume(SMMUv3State *s)
{
    SMMUQueue *q = &s->cmdq;
    unsigned log2size = smmu_q_log2size(q, SMMU_CMDQS);

    if (!FIELD_EX32(s->cr[0], CR0, CMDQEN) ||
        smmuv3_gerror_active(s, R_GERROR_CMDQ_ERR_MASK)) {
        return;
    }
    while (!smmu_q_empty(q->prod, q->cons, log2size)) {
        uint64_t raw[2];
        SMMUv3CmdError err;

        if (!smmuv3_dma_read(smmu_q_entry_addr(q, q->cons, log2size, CMD_SIZE),
                             raw, 2)) {
            err = CERROR_ABT;
        } else {
            err = smmuv3_cmd_run(s, raw);
        }
        if (err != CERROR_NONE) {
            smmuv3_cmdq_error(s, err);
            break;
        }
        q->cons = smmu_q_inc(q->cons, log2size);
    }
    smmuv3_cmdq_drained(s);
}
