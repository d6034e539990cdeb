#!/usr/bin/env python3
"""Generate the bundled host descriptions in hosts/*.json.

Config spaces are assembled from the register facts in the project's
reference notes (real-hardware.md, pcie.md); bytes those facts do not give
are synthetic and each device's "comment" says which. Run from the source
tree root:  python3 scripts/gen-host-configs.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTS = os.path.join(HERE, '..', 'hosts')

# Standard capability IDs
CAP_PM, CAP_MSI, CAP_EXP, CAP_MSIX = 0x01, 0x05, 0x10, 0x11
# Extended capability IDs
EXT_AER, EXT_VC, EXT_DSN, EXT_VSEC, EXT_ACS, EXT_ARI = 1, 2, 3, 0xb, 0xd, 0xe
EXT_ATS, EXT_PRI, EXT_LTR, EXT_TPH, EXT_SECPCI = 0xf, 0x13, 0x18, 0x17, 0x19
EXT_PASID, EXT_DVSEC = 0x1b, 0x23

BAR_MEM32, BAR_IO, BAR_MEM64, BAR_PREF = 0x0, 0x1, 0x4, 0x8


class Config:
    def __init__(self, size):
        self.b = bytearray(size)
        self.caps = []
        self.ext = []

    def w(self, off, size, val):
        self.b[off:off + size] = val.to_bytes(size, 'little')

    def header(self, vendor, device, cls, rev=0, pin=0, subsys=None,
               command=0x0000):
        self.w(0x00, 2, vendor)
        self.w(0x02, 2, device)
        self.w(0x04, 2, command)
        self.w(0x08, 1, rev)
        self.w(0x09, 3, cls)
        sv, sd = subsys or (vendor, device)
        self.w(0x2c, 2, sv)
        self.w(0x2e, 2, sd)
        self.w(0x3d, 1, pin)

    def bar(self, index, addr, kind):
        self.w(0x10 + 4 * index, 4, (addr & 0xffffffff) | kind)
        if kind & BAR_MEM64:
            self.w(0x14 + 4 * index, 4, addr >> 32)

    def cap(self, off, cap_id, body):
        """body: bytes after the 2-byte ID/next header."""
        self.b[off] = cap_id
        self.b[off + 2:off + 2 + len(body)] = body
        self.caps.append(off)

    def ext_cap(self, off, cap_id, ver, body):
        self.w(off, 2, cap_id)
        self.b[off + 2] = ver
        self.b[off + 4:off + 4 + len(body)] = body
        self.ext.append(off)

    def finish(self):
        if self.caps:
            self.b[0x06] |= 0x10                       # Status.CapList
            self.b[0x34] = self.caps[0]
            for cur, nxt in zip(self.caps, self.caps[1:] + [0]):
                self.b[cur + 1] = nxt
        for cur, nxt in zip(self.ext, self.ext[1:] + [0]):
            hdr = int.from_bytes(self.b[cur:cur + 4], 'little') & 0xfffff
            self.w(cur, 4, hdr | (nxt << 20))
        return ['%03x: ' % i + ' '.join('%02x' % x for x in self.b[i:i + 16])
                for i in range(0, len(self.b), 16)]


def le(*fields):
    """le((size, value), ...) -> bytes"""
    return b''.join(v.to_bytes(s, 'little') for s, v in fields)


def pm_cap(cfg, off):
    cfg.cap(off, CAP_PM, le((2, 0x0003), (2, 0x0008)))


def msi_cap(cfg, off, mmc=0):
    ctrl = 0x0180 | (mmc << 1)                         # 64-bit, maskable
    cfg.cap(off, CAP_MSI, le((2, ctrl), (4, 0), (4, 0), (2, 0), (2, 0),
                             (4, 0), (4, 0)))


def msix_cap(cfg, off, count, table, pba, bir=0):
    cfg.cap(off, CAP_MSIX, le((2, count - 1), (4, table | bir),
                              (4, pba | bir)))


def exp_cap(cfg, off, dev_type, devcap2, devctl2=0, lnkcap=0, lnksta=0,
            devcap=0x00008fc1):
    flags = 0x0002 | (dev_type << 4)                   # capability version 2
    body = bytearray(0x3a)
    body[0:2] = flags.to_bytes(2, 'little')
    body[2:6] = devcap.to_bytes(4, 'little')            # +0x04
    body[6:8] = (0x2810).to_bytes(2, 'little')          # +0x08 DEVCTL
    body[10:14] = lnkcap.to_bytes(4, 'little')          # +0x0c
    body[16:18] = lnksta.to_bytes(2, 'little')          # +0x12
    body[0x22:0x26] = devcap2.to_bytes(4, 'little')     # +0x24
    body[0x26:0x28] = devctl2.to_bytes(2, 'little')     # +0x28
    cfg.cap(off, CAP_EXP, bytes(body))


def aer(cfg, off, ver=2):
    cfg.ext_cap(off, EXT_AER, ver, le((4, 0), (4, 0), (4, 0x00462030),
                                      (4, 0), (4, 0x00002000), (4, 0x000000a0),
                                      (4, 0), (4, 0), (4, 0), (4, 0)))


def ats(cfg, off, cap, ctrl):
    cfg.ext_cap(off, EXT_ATS, 1, le((2, cap), (2, ctrl)))


def pasid(cfg, off, cap, ctrl):
    cfg.ext_cap(off, EXT_PASID, 1, le((2, cap), (2, ctrl)))


def pri(cfg, off, ctrl, status, capacity):
    cfg.ext_cap(off, EXT_PRI, 1, le((2, ctrl), (2, status), (4, capacity),
                                    (4, 0)))


def acs(cfg, off):
    cfg.ext_cap(off, EXT_ACS, 1, le((2, 0x0000), (2, 0x0000)))


def dsn(cfg, off, serial):
    cfg.ext_cap(off, EXT_DSN, 1, le((8, serial)))


def ari(cfg, off):
    cfg.ext_cap(off, EXT_ARI, 1, le((2, 0x0000), (2, 0x0000)))


def sec_pcie(cfg, off, lanes):
    cfg.ext_cap(off, EXT_SECPCI, 1, bytes(8 + 2 * lanes))


# Devices -----------------------------------------------------------------

def grace_gpu():
    cfg = Config(4096)
    cfg.header(0x10de, 0x2342, 0x030200, rev=0xa1, pin=1)
    cfg.bar(0, 0x661002000000, BAR_MEM64)
    cfg.bar(2, 0x650000000000, BAR_MEM64 | BAR_PREF)
    cfg.bar(4, 0x661000000000, BAR_MEM64 | BAR_PREF)
    pm_cap(cfg, 0x60)
    msi_cap(cfg, 0x68, mmc=4)
    exp_cap(cfg, 0x80, 0, devcap2=0x00030813, lnkcap=0x00000105 | 16 << 4,
            lnksta=0x0005 | 16 << 4)
    msix_cap(cfg, 0xc0, 9, 0x00b90000, 0x00ba0000)
    aer(cfg, 0x100)
    acs(cfg, 0x150)
    ats(cfg, 0x160, 0x0020, 0x0000)
    pasid(cfg, 0x170, 0x1406, 0x0007)
    return {
        'comment': 'Grace-Hopper-style GPU. IDs, class, PCIe v2 and the '
                   'ATS/PASID/ACS/AER chain per the brief; every other byte, '
                   'the BAR sizes (BAR2 kept at 4 GiB) and addresses are '
                   'synthetic.',
        'address': '0009:01:00.0', 'iommu': 'smmu0', 'iommu-group': 1,
        'cdev': 'vfio0', 'config': cfg.finish(), 'ats-supported': True,
        'max-pasid-log2': 20,
        'regions': [region(0, 16 << 20), region(2, 4 << 30),
                    region(4, 32 << 20)],
    }


def connectx(device, address, iommu, group, cdev, ats_off, ats_ok, comment):
    cfg = Config(4096)
    cfg.header(0x15b3, device, 0x020000, pin=1)
    cfg.bar(0, 0x6c0000000000 if iommu == 'smmu1' else 0x38000000000,
            BAR_MEM64 | BAR_PREF)
    pm_cap(cfg, 0x40)
    exp_cap(cfg, 0x60, 0, devcap2=0x00010013, lnkcap=0x00000104 | 16 << 4,
            lnksta=0x0004 | 16 << 4)
    msix_cap(cfg, 0x9c, 64, 0x2000, 0x3000)
    aer(cfg, 0x100, ver=1)
    dsn(cfg, 0x150, 0x0000b8cef6fffe01)
    ari(cfg, 0x180)
    sec_pcie(cfg, 0x1c0, 16)
    acs(cfg, 0x230)
    ats(cfg, ats_off, 0x0000, 0x0000)
    dev = {
        'comment': comment,
        'address': address, 'iommu': iommu, 'iommu-group': group,
        'cdev': cdev, 'config': cfg.finish(), 'ats-supported': ats_ok,
        'regions': [region(0, 32 << 20)],
    }
    return dev


def nvme_no_ext(address, group, cdev):
    cfg = Config(4096)
    cfg.header(0x144d, 0xa808, 0x010802, pin=1)
    cfg.bar(0, 0x40000000, BAR_MEM64)
    pm_cap(cfg, 0x40)
    msi_cap(cfg, 0x50, mmc=5)
    exp_cap(cfg, 0x70, 0, devcap2=0x00000013, lnkcap=0x00000103 | 4 << 4,
            lnksta=0x0003 | 4 << 4)
    msix_cap(cfg, 0xb0, 33, 0x3000, 0x2000)
    return {
        'comment': 'NVMe-style PCIe endpoint with no extended capabilities '
                   '(dword 0x100 is zero). Synthetic.',
        'address': address, 'iommu': 'smmu0', 'iommu-group': group,
        'cdev': cdev, 'config': cfg.finish(), 'ats-supported': False,
        'regions': [region(0, 16 << 10)],
    }


def intel_dsa():
    cfg = Config(4096)
    cfg.header(0x8086, 0x0b25, 0x088000, rev=0x01, command=0x0006)
    cfg.bar(0, 0x21fffff00000, BAR_MEM64 | BAR_PREF)
    cfg.bar(2, 0x21ffffe00000, BAR_MEM64 | BAR_PREF)
    exp_cap(cfg, 0x40, 9, devcap2=0x10730810, devctl2=0x1010)
    msix_cap(cfg, 0x80, 9, 0x2000, 0x3000)
    pm_cap(cfg, 0x90)
    aer(cfg, 0x100)
    cfg.ext_cap(0x150, EXT_LTR, 1, le((2, 0), (2, 0)))
    cfg.ext_cap(0x160, EXT_TPH, 1, le((4, 0x00000005), (4, 0)))
    cfg.ext_cap(0x170, EXT_VC, 1, bytes(0x18))
    cfg.ext_cap(0x200, EXT_DVSEC, 1, le((4, 0x02018086), (2, 0x0005),
                                         (2, 0)))
    ats(cfg, 0x220, 0x0060, 0x8000)
    pasid(cfg, 0x230, 0x1404, 0x0005)
    pri(cfg, 0x240, 0x0000, 0x8100, 0x200)
    return {
        'comment': 'Intel DSA (8086:0b25) RCiEP. Real per pciutils '
                   'tests/pri-pasid: PCIe cap at 0x40, DEVCAP2/DEVCTL2, the '
                   'extended chain and the ATS/PASID/PRI registers. Synthetic: '
                   'the standard caps after 0x40, AER/LTR/TPH/VC/DVSEC '
                   'bodies, BARs. max-pasid-log2 is 0 because this host\'s '
                   'ECAP.PASID is clear.',
        'address': '0000:6a:01.0', 'iommu': 'dmar0', 'iommu-group': 10,
        'cdev': 'vfio0', 'config': cfg.finish(), 'ats-supported': True,
        'regions': [region(0, 64 << 10), region(2, 128 << 10)],
    }


def amd_gpu_atomics():
    cfg = Config(4096)
    cfg.header(0x1002, 0x740f, 0x038000, rev=0x02, pin=1)
    cfg.bar(0, 0x38c000000000, BAR_MEM64 | BAR_PREF)
    cfg.bar(2, 0x38c010000000, BAR_MEM64 | BAR_PREF)
    cfg.bar(5, 0xc8e00000, BAR_MEM32)
    cfg.w(0x30, 4, 0xc8e80000)
    pm_cap(cfg, 0x48)
    exp_cap(cfg, 0x64, 0, devcap2=0x00010b9f, lnkcap=0x00000104 | 16 << 4,
            lnksta=0x0004 | 16 << 4)
    msi_cap(cfg, 0xa0)
    msix_cap(cfg, 0xc0, 16, 0x42000, 0x43000, bir=5)
    cfg.ext_cap(0x100, EXT_VSEC, 1, le((4, 0x01000002), (4, 0), (4, 0)))
    aer(cfg, 0x150)
    ats(cfg, 0x2b0, 0x0020, 0x0000)
    pri(cfg, 0x2c0, 0x0000, 0x8000, 0x20)
    pasid(cfg, 0x2d0, 0x1006, 0x0000)
    return {
        'comment': 'AMD Instinct-style GPU (1002:740f) behind a root port '
                   'whose DEVCAP2 is 0x0000139e (pciutils tests/cap-atomicops)'
                   ', so the kernel could enable AtomicOps to the root for '
                   '32/64/128. ATS 0x2b0 / PRI 0x2c0 / PASID 0x2d0 follow '
                   'the Lexa PRO layout; all other bytes are synthetic.',
        'address': '0000:17:00.0', 'iommu': 'dmar1', 'iommu-group': 20,
        'cdev': 'vfio1', 'config': cfg.finish(), 'ats-supported': True,
        'atomic-completer': {'comp32': True, 'comp64': True,
                             'comp128': True},
        'regions': [region(0, 256 << 20), region(2, 2 << 20),
                    region(5, 512 << 10), region(6, 128 << 10, 'read')],
    }


def plain_pci():
    cfg = Config(256)
    cfg.header(0x8086, 0x100e, 0x020000, rev=0x02, pin=1)
    cfg.bar(0, 0xfebc0000, BAR_MEM32)
    cfg.bar(1, 0xc000, BAR_IO)
    return {
        'comment': 'Conventional PCI NIC (8086:100e class) with a 256-byte '
                   'config space and no capabilities. Synthetic.',
        'address': '0000:00:03.0', 'iommu': 'dmar0', 'iommu-group': 31,
        'cdev': 'vfio1', 'config': cfg.finish(), 'ats-supported': False,
        'regions': [region(0, 128 << 10), region(1, 64, 'read', 'write')],
    }


def region(index, size, *flags):
    flags = list(flags) or ['read', 'write', 'mmap']
    return {'index': index, 'size': '0x%x' % size, 'flags': flags}


# IOMMUs ------------------------------------------------------------------

def smmu(ident, idr, iidr, aidr, comment):
    return {'id': ident, 'comment': comment, 'type': 'arm-smmuv3',
            'arm-smmuv3': {'idr': ['0x%08x' % v for v in idr],
                           'iidr': '0x%08x' % iidr, 'aidr': '0x%x' % aidr},
            'nesting': bool(idr[0] & 1 and idr[0] & 2)}


def vtd(ident, cap, ecap, flags):
    return {'id': ident, 'type': 'intel-vtd',
            'intel-vtd': {'cap': '0x%x' % cap, 'ecap': '0x%x' % ecap,
                          'flags': flags},
            'nesting': bool(ecap >> 26 & 1),
            'dirty-tracking': bool(ecap >> 45 & 1)}


def idr0(**f):
    bits = {'s2p': 0, 's1p': 1, 'cohacc': 4, 'hyp': 9, 'ats': 10,
            'asid16': 12, 'msi': 13, 'pri': 16, 'vmid16': 18, 'cd2l': 19}
    v = 2 << 2                                          # TTF = AArch64
    v |= f.pop('stall_model', 0) << 24
    v |= 1 << 27                                        # ST_LEVEL 2-level
    for name, on in f.items():
        v |= on << bits[name]
    return v


def idr1(sidsize, ssidsize, priqs, eventqs, cmdqs, attr_types_ovr=0):
    return (sidsize | ssidsize << 6 | priqs << 11 | eventqs << 16 |
            cmdqs << 21 | attr_types_ovr << 27)


GRAN_ALL = 0x70   # IDR5 GRAN4K | GRAN16K | GRAN64K


def grace_hopper():
    idr = [idr0(s2p=1, s1p=1, cohacc=1, hyp=1, ats=1, asid16=1, msi=1,
                pri=1, vmid16=1, cd2l=1),
           idr1(20, 20, 19, 19, 19, attr_types_ovr=1), 0,
           0,                                           # IDR3: RIL = 0
           0, 5 | GRAN_ALL | 0x20 << 16]                # OAS 48, STALL_MAX
    note = ('Synthetic IDRs from the Grace probe line "ias 48-bit, oas '
            '48-bit (features 0x001e1fbf)": 2-level stream and CD tables, '
            'TT_LE+TT_BE (TTENDIAN mixed), PRI, ATS, MSI, coherent, S1+S2, '
            'stalls, HYP, no RANGE_INV (IDR3.RIL = 0). SIDSIZE/SSIDSIZE 20, '
            'queues 2^19 entries, GRAN4K/16K/64K, IIDR/AIDR synthetic.')
    return {
        'name': 'grace-hopper',
        'description': 'NVIDIA Grace-class Arm host: SMMUv3 with nesting, '
                       'a Grace-Hopper GPU and a ConnectX-7 NIC',
        'provenance': 'SMMU features from the public Grace arm-smmu-v3 probe '
                      'line (lore.kernel.org 20250411044706.356395-1-nicolinc'
                      '@nvidia.com); IDR values synthetic. ConnectX-7 ATS at '
                      '0x480 from the nccl-tests issue 256 lspci text. '
                      'Generated by scripts/gen-host-configs.py; synthetic '
                      'bytes are named in each comment.',
        'iommus': [smmu('smmu0', idr, 0x0000043b, 0x2, note),
                   smmu('smmu1', idr, 0x0000043b, 0x2,
                        'Second SMMU instance (same synthetic IDRs).')],
        'devices': [grace_gpu(),
                    connectx(0x1021, '0000:01:00.0', 'smmu1', 2, 'vfio1',
                             0x480, True,
                             'ConnectX-7-style NIC: ATS at 0x480 (v1, queue '
                             'depth 0, disabled) per public lspci text; the '
                             'rest of the chain and all values synthetic.')],
    }


def arm_basic():
    idr = [idr0(s2p=1, s1p=1, cohacc=1, hyp=1, asid16=1, vmid16=1,
                stall_model=1),
           idr1(16, 0, 0, 19, 19), 0, 0, 0, 4 | GRAN_ALL]
    note = ('Synthetic IDRs from the ThunderX2 probe line "ias 44-bit, oas '
            '44-bit (features 0x0000170d)": 2-level stream table, no 2-level '
            'CD table, no ATS, no PRI, no MSI, terminate-only stall model, '
            'S1+S2, no RANGE_INV, OAS 44; SSIDSIZE 0; all three granules '
            'kept so the vSMMU granule check passes.')
    return {
        'name': 'arm-smmuv3-basic',
        'description': 'Arm host with a basic SMMUv3: no ATS, no range '
                       'invalidation, 44-bit OAS',
        'provenance': 'SMMU features from the public ThunderX2 probe line '
                      '(lore.kernel.org 6326D2D1-8641-48D1-BDD5-4F4B8BADB286'
                      '@lca.pw); IDR values and both devices synthetic. '
                      'Generated by scripts/gen-host-configs.py.',
        'iommus': [smmu('smmu0', idr, 0x0, 0x0, note)],
        'devices': [connectx(0x101d, '0000:01:00.0', 'smmu0', 1, 'vfio0',
                             0x320, False,
                             'ConnectX-6 Dx-style NIC with an ATS capability '
                             'the kernel reports unusable (the SMMU has no '
                             'ATS). Synthetic.'),
                    nvme_no_ext('0000:02:00.0', 2, 'vfio1')],
    }


def vtd_spr():
    cap, ecap = 0x19ed008c40780c66, 0x3ee9e86f050df
    return {
        'name': 'vtd-sapphire-rapids',
        'description': 'Intel Sapphire Rapids VT-d host that can nest: Intel '
                       'DSA and a GPU with AtomicOps completion',
        'provenance': 'CAP/ECAP from the Intel Server Board M50FCP DMAR line '
                      '(github.com/intel/intel-device-plugins-for-kubernetes '
                      'issue 1836), errata flag 772415_SPR17 for this '
                      'platform; DSA config from pciutils tests/pri-pasid; '
                      'root-port AtomicOps from pciutils tests/cap-atomicops. '
                      'Generated by scripts/gen-host-configs.py; synthetic '
                      'bytes are named in each comment.',
        'iommus': [vtd('dmar0', cap, ecap, 1), vtd('dmar1', cap, ecap, 1)],
        'devices': [intel_dsa(), amd_gpu_atomics()],
    }


def vtd_skl():
    cap, ecap = 0x8d2078c106f0466, 0xf020df
    return {
        'name': 'vtd-skylake-nonest',
        'description': 'Intel Xeon (Skylake-SP class) VT-d host that cannot '
                       'nest',
        'provenance': 'CAP/ECAP from a Xeon Scalable DMAR line '
                      '(github.com/utcs-scea/LAKE issue 10): no NEST, no '
                      'SMTS. Devices synthetic. Generated by '
                      'scripts/gen-host-configs.py.',
        'iommus': [vtd('dmar0', cap, ecap, 0)],
        'devices': [connectx(0x1017, '0000:3b:00.0', 'dmar0', 30, 'vfio0',
                             0x480, False,
                             'ConnectX-5-style NIC with an ATS capability '
                             'the kernel reports unusable (no ATSR for its '
                             'root port). Synthetic.'),
                    plain_pci()],
    }


def main():
    for host in (grace_hopper(), arm_basic(), vtd_spr(), vtd_skl()):
        path = os.path.join(HOSTS, host['name'] + '.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(host, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
