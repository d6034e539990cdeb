#!/usr/bin/env python3
"""Runs an emulator command line and reports the device-assignment plane.

usage: plane-report.py [--srcdir DIR] [--title TEXT] [--] EMULATOR ARG...
       plane-report.py --pick-device HOST_MODEL [--srcdir DIR]

The emulator is started with ARG... plus a qtest and a QMP connection on
unix sockets this script listens on (as QEMU's libqtest does). The guest's
side is played like firmware would: the device tree the guest gets
(-machine dumpdtb, from a first run of the same command line) gives the
ECAM window and the SMMUv3 register blocks; bus numbers are programmed
over ECAM, every extended capability chain is walked from 0x100 and the
SMMU ID registers are read over MMIO. What the emulator says about itself
(x-query-arm-smmuv3, x-query-vfio-pci, query-pci) is printed beside it,
checked against it and against the host description named by
-host-model, and summed up in a one-line verdict.

Exit status: 0 verdict OK, 1 the emulator failed to start or died,
2 usage, 3 the report found a mismatch.

--pick-device prints the host address the Grace scenario assigns on a
bundled or file host model: an NVIDIA device (class display) if there is
one, else the first device bound to vfio behind an arm-smmuv3.

Python 3 standard library only.
"""
import argparse
import json
import os
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import time

START_TIMEOUT = 60  # seconds until the emulator must be serving
REPLY_TIMEOUT = 60
WIDTH = 100  # report lines are wrapped beyond this

EXIT_OK, EXIT_START, EXIT_USAGE, EXIT_MISMATCH = 0, 1, 2, 3

OAS_BITS = [32, 36, 40, 42, 44, 48, 52, 56]

# (feature, IDR index, field name, shift, width)
SMMU_FIELDS = [
    ('ats', 0, 'ATS', 10, 1),
    ('ril', 3, 'RIL', 10, 1),
    ('ssidsize', 1, 'SSIDSIZE', 6, 5),
    ('oas', 5, 'OAS', 0, 3),
]

EXT_CAP_NAMES = {
    0x01: 'AER', 0x02: 'VC', 0x03: 'DSN', 0x04: 'Power Budgeting',
    0x0b: 'VSEC', 0x0d: 'ACS', 0x0e: 'ARI', 0x0f: 'ATS', 0x10: 'SR-IOV',
    0x13: 'PRI', 0x15: 'Resizable BAR', 0x17: 'TPH Requester',
    0x18: 'LTR', 0x19: 'Secondary PCIe', 0x1b: 'PASID', 0x1d: 'DPC',
    0x1e: 'L1 PM Substates', 0x1f: 'PTM', 0x23: 'DVSEC',
    0x25: 'Data Link Feature', 0x2e: 'DOE',
}
EXT_ATS, EXT_PASID = 0x0f, 0x1b
PASID_DEFAULT_OFFSET = 0xff8

PCI_CLASS_NAMES = {0x0200: 'Ethernet controller', 0x0300: 'VGA controller',
                   0x0302: '3D controller', 0x0108: 'NVMe controller',
                   0x0604: 'PCI bridge', 0x0600: 'Host bridge',
                   0x1200: 'Processing accelerator'}

DEVCAP2_ATOMIC_COMP = 0x380


class StartFailure(Exception):
    """The emulator exited (or hung) before serving requests."""


def hexaddr(addr):
    return '0x%08x' % addr if addr < 1 << 32 else '0x%x' % addr


def field(value, shift, width):
    return (value >> shift) & ((1 << width) - 1)


def field_text(feature, raw):
    if feature == 'oas':
        bits = OAS_BITS[raw] if raw < len(OAS_BITS) else '?'
        return '%d (%s-bit)' % (raw, bits)
    return str(raw)


# The device tree


def fdt_nodes(blob):
    """[(path, {prop: bytes})] in tree order, from a flattened tree."""
    if len(blob) < 40 or struct.unpack_from('>I', blob, 0)[0] != 0xd00dfeed:
        raise ValueError('not a flattened device tree')
    off_struct, off_strings = struct.unpack_from('>II', blob, 8)
    nodes, stack, pos = [], [], off_struct
    while pos + 4 <= len(blob):
        token = struct.unpack_from('>I', blob, pos)[0]
        pos += 4
        if token == 1:  # begin node
            end = blob.index(b'\0', pos)
            name = blob[pos:end].decode()
            pos = (end + 4) & ~3
            path = '/'.join([n[0] for n in stack] + [name]) or '/'
            stack.append((name, {}))
            nodes.append((path, stack[-1][1]))
        elif token == 2:  # end node
            stack.pop()
        elif token == 3:  # property
            length, nameoff = struct.unpack_from('>II', blob, pos)
            pos += 8
            start = off_strings + nameoff
            pname = blob[start:blob.index(b'\0', start)].decode()
            stack[-1][1][pname] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif token == 4:  # nop
            continue
        elif token == 9:  # end
            break
        else:
            raise ValueError('bad device tree token %d' % token)
    return nodes


def fdt_compatible(props, name):
    return name.encode() in props.get('compatible', b'').split(b'\0')


def fdt_reg(props):
    """(address, size) of a two-cell reg property."""
    addr_hi, addr_lo, size_hi, size_lo = struct.unpack('>4I',
                                                       props['reg'][:16])
    return (addr_hi << 32) | addr_lo, (size_hi << 32) | size_lo


class FirmwareView:
    """What the guest learns from its device tree."""

    def __init__(self, blob):
        self.ecam = self.ecam_size = None
        self.smmus = []
        for _, props in fdt_nodes(blob):
            if fdt_compatible(props, 'pci-host-ecam-generic'):
                self.ecam, self.ecam_size = fdt_reg(props)
            elif fdt_compatible(props, 'arm,smmu-v3'):
                self.smmus.append(fdt_reg(props)[0])
        if self.ecam is None:
            raise StartFailure('the guest device tree has no ECAM PCIe host')


# The host description


def host_model_name(argv):
    for i, arg in enumerate(argv[:-1]):
        if arg == '-host-model':
            return argv[i + 1].split(',')[0]
    return None


def host_model_path(name, srcdir):
    if name is None or name == 'linux':
        return None
    if '/' in name or name.endswith('.json'):
        return name
    return os.path.join(srcdir, 'hosts', name + '.json')


def parse_config(lines):
    if isinstance(lines, str):
        lines = [lines]
    data = bytearray()
    for line in lines:
        if ':' in line.split()[0]:
            line = line.split(':', 1)[1]
        data += bytes.fromhex(''.join(line.split()))
    return bytes(data)


def config_ext_caps(cfg):
    """[(offset, id)] of a raw config space's extended chain."""
    caps, off, seen = [], 0x100, set()
    while len(cfg) >= 0x1000 and 0x100 <= off <= 0xffc and off not in seen:
        seen.add(off)
        hdr = struct.unpack_from('<I', cfg, off)[0]
        if not hdr:
            break
        caps.append((off, hdr & 0xffff))
        off = (hdr >> 20) & 0xffc
    return caps


class HostModel:
    def __init__(self, name, path, srcdir):
        self.name = name
        self.shown_path = os.path.relpath(path, srcdir)
        if self.shown_path.startswith('..'):
            self.shown_path = path
        with open(path) as f:
            self.desc = json.load(f)
        self.iommus = {i['id']: i for i in self.desc['iommus']}
        self.devices = {d['address']: d for d in self.desc['devices']}
        for dev in self.devices.values():
            dev['_config'] = parse_config(dev['config'])

    def idr(self, address):
        """IDR0..5 of the host SMMU a device sits behind, or None."""
        iommu = self.iommus.get(self.devices.get(address, {}).get('iommu'))
        if not iommu or iommu['type'] != 'arm-smmuv3':
            return None
        return [int(str(v), 0) for v in iommu['arm-smmuv3']['idr']]

    def device_ids(self, address):
        cfg = self.devices[address]['_config']
        return struct.unpack_from('<HH', cfg, 0) + (
            struct.unpack_from('<H', cfg, 0x0a)[0],)

    def pasid_flags(self, address):
        """(exec, priv) as the kernel derives them: PASID Control bits."""
        dev = self.devices[address]
        cfg = dev['_config']
        for off, cap_id in config_ext_caps(cfg):
            if cap_id == EXT_PASID:
                ctrl = struct.unpack_from('<H', cfg, off + 6)[0]
                return bool(ctrl & 2), bool(ctrl & 4)
        return False, False

    def pick_device(self):
        cands = [a for a, d in self.devices.items()
                 if d.get('cdev') and self.iommus.get(
                     d['iommu'], {}).get('type') == 'arm-smmuv3']
        for addr in cands:
            vendor, _, cls = self.device_ids(addr)
            if vendor == 0x10de and cls >> 8 == 0x03:
                return addr
        return cands[0] if cands else None


# The emulator, over qtest and QMP


class LineSocket:
    def __init__(self, sock):
        sock.settimeout(REPLY_TIMEOUT)
        self.sock = sock
        self.buf = b''

    def send(self, text):
        self.sock.sendall(text.encode() + b'\n')

    def readline(self):
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode().rstrip('\r')

    def close(self):
        self.sock.close()


class QmpError(Exception):
    def __init__(self, cls, desc):
        super().__init__(desc)
        self.cls = cls


class Emulator:
    def __init__(self, argv, workdir):
        self.argv = argv
        qt_path = os.path.join(workdir, 'qtest.sock')
        qmp_path = os.path.join(workdir, 'qmp.sock')
        listeners = []
        for path in (qt_path, qmp_path):
            lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            lsock.bind(path)
            lsock.listen(1)
            listeners.append(lsock)
        self.extra = [
            '-qtest', 'unix:' + qt_path,
            '-chardev', 'socket,path=%s,id=report-qmp' % qmp_path,
            '-object', 'monitor-qmp,id=report-mon,chardev=report-qmp',
            '-run-with', 'exit-with-parent=on']
        self.errfile = open(os.path.join(workdir, 'stderr'), 'w+')
        self.proc = subprocess.Popen(argv + self.extra,
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.errfile, stderr=self.errfile)
        try:
            conns = self._accept(listeners)
        finally:
            for lsock in listeners:
                lsock.close()
        self.qt, self.qmp = LineSocket(conns[0]), LineSocket(conns[1])
        try:
            self.greeting = json.loads(self.qmp.readline())['QMP']
            self.command('qmp_capabilities')
            self.command('query-status')
        except (EOFError, OSError):
            raise StartFailure(self.failure())

    def _accept(self, listeners):
        conns = [None] * len(listeners)
        deadline = time.monotonic() + START_TIMEOUT
        while None in conns:
            if self.proc.poll() is not None:
                raise StartFailure(self.failure())
            if time.monotonic() > deadline:
                self.proc.kill()
                raise StartFailure('did not connect within %d s'
                                   % START_TIMEOUT)
            waiting = [l for i, l in enumerate(listeners) if not conns[i]]
            ready, _, _ = select.select(waiting, [], [], 0.1)
            for lsock in ready:
                conns[listeners.index(lsock)] = lsock.accept()[0]
        return conns

    def failure(self):
        try:
            status = self.proc.wait(timeout=REPLY_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = 'killed after %d s' % REPLY_TIMEOUT
        return 'exit status %s\n%s' % (status, self.messages().rstrip())

    def messages(self):
        self.errfile.seek(0)
        return self.errfile.read()

    def command(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.qmp.send(json.dumps(msg))
        while True:
            reply = json.loads(self.qmp.readline())
            if 'event' in reply:
                continue
            if 'error' in reply:
                raise QmpError(reply['error']['class'],
                               reply['error']['desc'])
            return reply['return']

    def qtest(self, line):
        self.qt.send(line)
        while True:
            reply = self.qt.readline()
            if not reply.startswith('IRQ'):
                break
        if not reply.startswith('OK'):
            raise RuntimeError('qtest "%s": %s' % (line, reply))
        return reply[3:]

    def read(self, size, addr):
        return int(self.qtest('read%s 0x%x' % ('bwlq'[size.bit_length() - 1],
                                                addr)), 16)

    def write(self, size, addr, value):
        self.qtest('write%s 0x%x 0x%x' % ('bwlq'[size.bit_length() - 1],
                                          addr, value))

    def quit(self):
        """Ends the run; returns the exit status."""
        try:
            self.command('quit')
        except (EOFError, OSError, QmpError):
            pass
        self.qmp.close()
        self.qt.close()
        try:
            return self.proc.wait(timeout=REPLY_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def dump_dtb(argv, workdir):
    """The guest's device tree: the same command line with dumpdtb."""
    path = os.path.join(workdir, 'guest.dtb')
    cmd = argv + ['-machine', 'dumpdtb=' + path]
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, timeout=START_TIMEOUT)
    if res.returncode or not os.path.exists(path):
        raise StartFailure('exit status %d\n%s' % (res.returncode,
                                                   res.stderr.rstrip()))
    with open(path, 'rb') as f:
        return f.read()


# PCI over ECAM, as firmware does it


class Ecam:
    def __init__(self, emu, base, size):
        self.emu = emu
        self.base = base
        self.buses = size >> 20

    def addr(self, bus, devfn, off):
        return self.base + (bus << 20) + (devfn << 12) + off

    def read(self, size, bus, devfn, off):
        return self.emu.read(size, self.addr(bus, devfn, off))

    def write(self, size, bus, devfn, off, value):
        self.emu.write(size, self.addr(bus, devfn, off), value)

    def enumerate(self, roots):
        """Numbers the buses below each root bus, depth first; returns
        {(bus, devfn): function info}."""
        self.found = {}
        roots = sorted(set(roots))
        for i, root in enumerate(roots):
            limit = roots[i + 1] - 1 if i + 1 < len(roots) else self.buses - 1
            self._next = root + 1
            self._scan(root, limit)
        return self.found

    def _scan(self, bus, limit):
        last = bus
        for slot in range(32):
            for fn in range(8):
                devfn = slot << 3 | fn
                ids = self.read(4, bus, devfn, 0)
                if ids & 0xffff == 0xffff:
                    if fn == 0:
                        break
                    continue
                hdr = self.read(1, bus, devfn, 0x0e)
                info = {'bus': bus, 'devfn': devfn, 'vendor': ids & 0xffff,
                        'device': ids >> 16,
                        'class': self.read(2, bus, devfn, 0x0a),
                        'bridge': hdr & 0x7f == 1}
                self.found[(bus, devfn)] = info
                if info['bridge'] and self._next <= limit:
                    sec = self._next
                    self._next += 1
                    self.write(1, bus, devfn, 0x18, bus)
                    self.write(1, bus, devfn, 0x19, sec)
                    self.write(1, bus, devfn, 0x1a, limit)
                    sub = self._scan(sec, limit)
                    self.write(1, bus, devfn, 0x1a, sub)
                    info['secondary'] = sec
                    last = max(last, sub)
                if fn == 0 and not hdr & 0x80:
                    break
        return last

    def std_cap(self, bus, devfn, cap_id):
        if not self.read(2, bus, devfn, 0x06) & 0x10:
            return 0
        pos, seen = self.read(1, bus, devfn, 0x34) & ~3, set()
        while pos >= 0x40 and pos not in seen:
            seen.add(pos)
            if self.read(1, bus, devfn, pos) == cap_id:
                return pos
            pos = self.read(1, bus, devfn, pos + 1) & ~3
        return 0

    def ext_caps(self, bus, devfn):
        """[(offset, id, version)] from 0x100; null (ID 0) entries are
        stepped over. Second value: whether the walk ended cleanly."""
        caps, off, seen = [], 0x100, set()
        while 0x100 <= off <= 0xffc:
            if off in seen:
                return caps, False
            seen.add(off)
            hdr = self.read(4, bus, devfn, off)
            if not hdr:
                break
            if hdr & 0xffff:
                caps.append((off, hdr & 0xffff, (hdr >> 16) & 0xf))
            off = (hdr >> 20) & 0xffc
        return caps, True


def pci_locations(buses):
    """{qdev id: (bus, devfn)} from query-pci."""
    where = {}
    for bus in buses:
        for dev in bus['devices']:
            if dev.get('qdev_id'):
                where[dev['qdev_id']] = (dev['bus'],
                                         dev['slot'] << 3 | dev['function'])
            below = dev.get('pci_bridge', {}).get('devices')
            if below:
                where.update(pci_locations([{'devices': below}]))
    return where


# The report


class Checks:
    def __init__(self):
        self.results = []

    def check(self, ok, text):
        self.results.append((bool(ok), text))
        return ok

    @property
    def failed(self):
        return [t for ok, t in self.results if not ok]


def wrap_command(argv):
    lines, cur = [], [argv[0]]
    for arg in argv[1:]:
        if arg.startswith('-'):
            lines.append(cur)
            cur = [arg]
        else:
            cur.append(arg)
    lines.append(cur)
    out = []
    for i, words in enumerate(lines):
        text = ' '.join(shell_quote(w) for w in words)
        out.append(('  ' if i == 0 else '      ') + text)
    return ' \\\n'.join(out)


def shell_quote(word):
    safe = all(c.isalnum() or c in '-_=,./:@+' for c in word)
    return word if safe and word else "'" + word.replace("'", "'\\''") + "'"


def cap_name(cap_id):
    return EXT_CAP_NAMES.get(cap_id, 'ID 0x%04x' % cap_id)


class Report:
    def __init__(self, emu, fw, host):
        self.emu = emu
        self.fw = fw
        self.host = host
        self.checks = Checks()
        self.summary = []

    def out(self, text=''):
        indent = ' ' * (len(text) - len(text.lstrip()) + 4)
        print(textwrap.fill(text, WIDTH, subsequent_indent=indent,
                            break_long_words=False, break_on_hyphens=False)
              if len(text) > WIDTH and '\n' not in text else text)

    def section(self, text):
        self.out()
        self.out(text)
        self.out('-' * len(text))

    def run(self):
        emu = self.emu
        version = emu.greeting['version']['qemu']
        self.out()
        self.out('Emulator: %s (QEMU %d.%d.%d compatible)'
                 % (emu.argv[0], version['major'], version['minor'],
                    version['micro']))
        self.out('  started with the command line above plus the report\'s '
                 'qtest and QMP connections:')
        self.out(wrap_command(emu.extra).replace('      -', '  -'))
        self.section('Guest firmware view (its device tree)')
        self.out('  ECAM %s, buses 0-%d; arm-smmuv3 register blocks: %s'
                 % (hexaddr(self.fw.ecam), (self.fw.ecam_size >> 20) - 1,
                    ', '.join(hexaddr(b) for b in self.fw.smmus) or 'none'))
        self.ecam = Ecam(emu, self.fw.ecam, self.fw.ecam_size)
        roots = [b['bus'] for b in emu.command('query-pci')]
        self.functions = self.ecam.enumerate(roots)
        self.where = pci_locations(emu.command('query-pci'))
        self.out('  buses numbered over ECAM: %d functions found'
                 % len(self.functions))
        self.initiators = self.generic_initiators()
        self.smmus = self.report_smmus()
        self.report_devices()
        self.report_end()

    def smmu_summary(self, name, smmu):
        host_dev = next((f.get('host-device') for f in smmu['features']
                         if f['source'] == 'host'), None)
        values = ', '.join('%s %s' % (f['name'], f['value'])
                           for f in smmu['features'])
        if host_dev and self.host:
            return '%s follows host %s (via %s): %s' % (
                name, self.host.devices[host_dev]['iommu'], host_dev, values)
        return '%s: %s' % (name, values)

    def generic_initiators(self):
        """{pci-dev: [(object id, node)]} of the acpi-generic-initiators."""
        found = {}
        for child in self.emu.command('qom-list', path='/objects'):
            if child['type'] != 'child<acpi-generic-initiator>':
                continue
            path = '/objects/' + child['name']
            dev = self.emu.command('qom-get', path=path, property='pci-dev')
            node = self.emu.command('qom-get', path=path, property='node')
            found.setdefault(dev, []).append((child['name'], node))
        return found

    # SMMUs

    def report_smmus(self):
        try:
            smmus = self.emu.command('x-query-arm-smmuv3')
        except QmpError as e:
            self.section('vSMMUs')
            self.out('  x-query-arm-smmuv3 is not available (%s): only the '
                     'registers are shown' % e)
            smmus = [{'id': None, 'path': '?', 'primary-bus': '?',
                      'accel': None, 'features': [], 'idr': None,
                      'devices': []} for _ in self.fw.smmus]
        if len(smmus) != len(self.fw.smmus):
            self.checks.check(False, 'the device tree lists %d SMMUv3 '
                              'blocks, x-query-arm-smmuv3 %d'
                              % (len(self.fw.smmus), len(smmus)))
        for smmu, base in zip(smmus, self.fw.smmus):
            smmu['base'] = base
            self.report_smmu(smmu)
        return smmus

    def report_smmu(self, smmu):
        name = smmu['id'] or smmu['path']
        self.section('vSMMU %s: primary bus %s, accel=%s, registers at %s'
                     % (name, smmu['primary-bus'],
                        {True: 'on', False: 'off'}.get(smmu['accel'], '?'),
                        hexaddr(smmu['base'])))
        idr = [self.emu.read(4, smmu['base'] + 4 * i) for i in range(6)]
        if smmu['idr'] is not None:
            self.checks.check(
                [int(v, 16) for v in smmu['idr']] == idr,
                '%s: IDR0-5 read over MMIO equal x-query-arm-smmuv3' % name)
        if smmu['features']:
            self.out('  %-9s %-10s %-9s %s'
                     % ('feature', 'requested', 'resolved', 'from'))
        resolved = {}
        for feat in smmu['features']:
            resolved[feat['name']] = self.report_feature(name, feat, idr)
        self.out('  ID registers the guest reads over MMIO:')
        for feat, index, fname, shift, width in sorted(SMMU_FIELDS,
                                                       key=lambda f: f[1]):
            raw = field(idr[index], shift, width)
            self.out('    IDR%d 0x%08x  %s=%s'
                     % (index, idr[index], fname, field_text(feat, raw)))
        for dev in smmu['devices']:
            self.out('  serves %s (host %s) as StreamID %s; vDEVICE %s, '
                     'attached: %s'
                     % (dev['id'], dev['host'], dev['sid'],
                        'yes' if dev['vdevice'] else 'not yet',
                        dev.get('attached', '?')))
        smmu['resolved'] = resolved
        if smmu['features']:
            self.summary.append(self.smmu_summary(name, smmu))
        return smmu

    def report_feature(self, smmu_name, feat, idr):
        fname = feat['name']
        _, index, reg, shift, width = next(f for f in SMMU_FIELDS
                                           if f[0] == fname)
        guest_raw = field(idr[index], shift, width)
        source = feat['source']
        if source == 'host':
            host_raw = feat.get('host-value')
            origin = 'host IDR%d.%s=%s from %s' % (
                index, reg, field_text(fname, host_raw) if host_raw is not None
                else '?', feat.get('host-device'))
            self.check_host_field(smmu_name, feat, index, reg, shift, width,
                                  guest_raw)
        elif source == 'configured':
            origin = 'configured (command line, -global or machine compat)'
        elif source == 'emulated-default':
            origin = 'emulated default (accel=off)'
        else:
            origin = source
        self.out('  %-9s %-10s %-9s %s' % (fname, feat['requested'],
                                           feat['value'], origin))
        self.checks.check(source != 'unresolved',
                          '%s %s: not left unresolved' % (smmu_name, fname))
        return feat['value']

    def check_host_field(self, smmu_name, feat, index, reg, shift, width,
                         guest_raw):
        fname = feat['name']
        what = '%s %s: IDR%d.%s=%d over MMIO' % (smmu_name, fname, index, reg,
                                                guest_raw)
        self.checks.check(
            feat.get('host-value') == guest_raw,
            '%s, the host value in x-query-arm-smmuv3' % what)
        host_idr = self.host and self.host.idr(feat.get('host-device'))
        if host_idr:
            host_raw = field(host_idr[index], shift, width)
            self.checks.check(
                host_raw == guest_raw,
                '%s, the host description\'s %s (%d)'
                % (what, self.host.devices[feat['host-device']]['iommu'],
                   host_raw))

    # Devices

    def report_devices(self):
        try:
            devices = self.emu.command('x-query-vfio-pci')
        except QmpError as e:
            self.section('Assigned devices')
            self.out('  x-query-vfio-pci is not available: %s' % e)
            self.checks.check(False, 'x-query-vfio-pci answers')
            return
        if not devices:
            self.section('Assigned devices')
            self.out('  none')
        for dev in devices:
            self.report_device(dev)

    def smmu_of(self, dev_id):
        for smmu in self.smmus:
            for d in smmu['devices']:
                if d['id'] == dev_id:
                    return smmu, d
        return None, None

    def report_device(self, dev):
        name = dev['id'] or dev['path']
        loc = self.where.get(dev['id'])
        fn = self.functions.get(loc) if loc else None
        hi = dev['host-iommu']
        self.section('Device %s: host %s on %s (guest %s)'
                     % (name, dev['host'], dev['bus'],
                        '%02x:%02x.%x' % (loc[0], loc[1] >> 3, loc[1] & 7)
                        if loc else 'not found over ECAM'))
        if not self.checks.check(fn, '%s: found over ECAM' % name):
            return
        cls = PCI_CLASS_NAMES.get(fn['class'], 'class 0x%04x' % fn['class'])
        self.out('  %04x:%04x %s; host IOMMU %s, ATS %s, PASID %s'
                 % (fn['vendor'], fn['device'], cls, hi['type'],
                    'usable' if hi['ats-supported'] else 'unusable',
                    '%d bits%s%s' % (hi['max-pasid-log2'],
                                     ', exec' if hi['pasid-exec'] else '',
                                     ', priv' if hi['pasid-priv'] else '')
                    if hi['max-pasid-log2'] else 'none'))
        smmu, smmu_dev = self.smmu_of(dev['id'])
        if smmu:
            self.out('  behind vSMMU %s as StreamID %s'
                     % (smmu['id'] or smmu['path'], smmu_dev['sid']))
        gis = sorted(self.initiators.get(dev['id'], []) +
                     self.initiators.get(dev['path'], []),
                     key=lambda gi: gi[1])
        if gis:
            self.out('  NUMA: %d generic initiator%s (%s) give it node%s %s'
                     % (len(gis), 's' if len(gis) > 1 else '',
                        gis[0][0] if len(gis) == 1 else
                        '%s ... %s' % (gis[0][0], gis[-1][0]),
                        's' if len(gis) > 1 else '',
                        ', '.join(str(node) for _, node in gis)))
        caps = self.report_chain(name, dev, loc)
        self.report_policy(name, dev, loc, caps, smmu)

    def report_chain(self, name, dev, loc):
        caps, clean = self.ecam.ext_caps(*loc)
        origins = {int(c['offset'], 16): c['origin'] for c in dev['ext-caps']}
        self.out('  extended capabilities the guest sees (walked over ECAM '
                 'from 0x100):')
        for off, cap_id, ver in caps:
            extra = ''
            if cap_id == EXT_PASID:
                reg = self.ecam.read(2, loc[0], loc[1], off + 4)
                extra = '  width %d%s%s' % ((reg >> 8) & 0x1f,
                                            ', exec' if reg & 2 else '',
                                            ', priv' if reg & 4 else '')
            self.out('    0x%03x  %-16s v%d  %s%s'
                     % (off, cap_name(cap_id), ver,
                        origins.get(off, '(not in x-query-vfio-pci)'), extra))
        if not caps:
            self.out('    none')
        for drop in dev['dropped']:
            self.out('    left out: %s at %s: %s'
                     % (drop['name'], drop['offset'], drop['reason']))
        self.checks.check(clean, '%s: the chain ends cleanly' % name)
        listed = [(int(c['offset'], 16), int(c['id'], 16), c['version'])
                  for c in dev['ext-caps']]
        self.checks.check(listed == caps,
                          '%s: the chain over ECAM equals x-query-vfio-pci'
                          % name)
        return caps

    def report_policy(self, name, dev, loc, caps, smmu):
        ats, pasid, atomics = dev['ats'], dev['pasid'], dev['atomics']
        ats_at = [off for off, cap_id, _ in caps if cap_id == EXT_ATS]
        pasid_at = [off for off, cap_id, _ in caps if cap_id == EXT_PASID]
        self.out('  ATS: %s (ats=%s): %s'
                 % ('shown at 0x%03x' % ats_at[0] if ats_at else 'hidden',
                    ats['policy'], ats['reason']))
        self.checks.check(bool(ats_at) == ats['visible'],
                          '%s: ATS over ECAM matches x-query-vfio-pci' % name)
        self.check_ats_expectation(name, dev, bool(ats_at))
        if pasid['synthesized']:
            what = 'synthesized at %s, width %d' % (pasid['offset'],
                                                     pasid['width'])
        elif pasid['offset']:
            what = 'the device\'s own at %s' % pasid['offset']
        else:
            what = 'none'
        self.out('  PASID: %s: %s' % (what, pasid['reason']))
        self.checks.check(
            [int(pasid['offset'], 16)] == pasid_at if pasid['offset']
            else not pasid_at,
            '%s: PASID over ECAM matches x-query-vfio-pci' % name)
        self.check_pasid_expectation(name, dev, pasid_at, smmu)
        rp_bits = self.root_port_bits(loc)
        self.out('  AtomicOps: root port %s completer bits %s: %s'
                 % (atomics['root-port'] or '(none)',
                    atomics['completer-bits'], atomics['reason']))
        if atomics['root-port']:
            self.checks.check(
                rp_bits == int(atomics['completer-bits'], 16),
                '%s: root port DEVCAP2 completers over ECAM (0x%x) match '
                'x-query-vfio-pci' % (name, rp_bits or 0))
        self.summary.append('%s: ATS %s, PASID %s' % (
            name, 'shown' if ats_at else 'hidden', what))

    def check_ats_expectation(self, name, dev, shown):
        host = self.host.devices.get(dev['host']) if self.host else None
        if not host:
            return
        physical = any(c == EXT_ATS for _, c in config_ext_caps(
            host['_config']))
        policy = dev['ats']['policy']
        expect = physical and (policy == 'on' or
                               (policy == 'auto' and host['ats-supported']))
        self.checks.check(shown == expect,
                          '%s: ATS %s as the host description implies '
                          '(ats=%s, ATS %s on the host)'
                          % (name, 'shown' if expect else 'hidden', policy,
                             'usable' if host['ats-supported'] else
                             'unusable'))

    def check_pasid_expectation(self, name, dev, pasid_at, smmu):
        host = self.host.devices.get(dev['host']) if self.host else None
        if not host or not smmu or not smmu.get('resolved'):
            return
        width = host.get('max-pasid-log2', 0)
        ssid = int(smmu['resolved'].get('ssidsize', '0'))
        if not width or not ssid or dev['pasid']['physical']:
            self.checks.check(not dev['pasid']['synthesized'],
                              '%s: no PASID synthesized (host width %d, '
                              'vSMMU ssidsize %d)' % (name, width, ssid))
            return
        exec_, priv = self.host.pasid_flags(dev['host'])
        loc = self.where[dev['id']]
        ok = pasid_at == [PASID_DEFAULT_OFFSET]
        if ok:
            reg = self.ecam.read(2, loc[0], loc[1], PASID_DEFAULT_OFFSET + 4)
            ok = ((reg >> 8) & 0x1f == width and bool(reg & 2) == exec_ and
                  bool(reg & 4) == priv)
        self.checks.check(ok, '%s: PASID at 0x%x, width %d%s%s, as the host '
                          'description implies' % (
                              name, PASID_DEFAULT_OFFSET, width,
                              ', exec' if exec_ else '',
                              ', priv' if priv else ''))

    def root_port_bits(self, loc):
        for (bus, devfn), fn in self.functions.items():
            if fn.get('secondary') == loc[0]:
                exp = self.ecam.std_cap(bus, devfn, 0x10)
                if exp:
                    return (self.ecam.read(4, bus, devfn, exp + 0x24) &
                            DEVCAP2_ATOMIC_COMP)
        return None

    def report_end(self):
        self.section('Checks')
        for ok, text in self.checks.results:
            self.out('  %s  %s' % ('ok  ' if ok else 'FAIL', text))
        total, failed = len(self.checks.results), self.checks.failed
        self.out()
        if failed:
            print('VERDICT: MISMATCH: %d of %d checks failed, first: %s'
                  % (len(failed), total, failed[0]))
        else:
            print('VERDICT: OK (%d checks): %s'
                  % (total, '; '.join(self.summary) or 'nothing assigned'))


def start_error(line):
    """The message of a start-up error line, without the program name
    and the option it was about."""
    parts = line.split(': ', 2)
    if len(parts) == 3 and parts[1].startswith('-'):
        return parts[2]
    return line


def print_header(title, argv, host):
    print(title)
    print('=' * len(title))
    if host:
        print('Host model: %s (%s)' % (host.name, host.shown_path))
        print('  %s' % host.desc['description'])
        for iommu in host.desc['iommus']:
            if iommu['type'] == 'arm-smmuv3':
                idr = [int(str(v), 0) for v in iommu['arm-smmuv3']['idr']]
                print('  %-6s arm-smmuv3  IDR0 0x%08x IDR1 0x%08x '
                      'IDR3 0x%08x IDR5 0x%08x'
                      % (iommu['id'], idr[0], idr[1], idr[3], idr[5]))
            else:
                print('  %-6s %s' % (iommu['id'], iommu['type']))
        for addr, dev in host.devices.items():
            vendor, device, _ = host.device_ids(addr)
            notes = ['ATS usable' if dev['ats-supported'] else 'ATS unusable']
            if dev.get('max-pasid-log2'):
                notes.append('PASID %d bits' % dev['max-pasid-log2'])
            print('  %s  %04x:%04x  on %s: %s'
                  % (addr, vendor, device, dev['iommu'], ', '.join(notes)))
    else:
        print('Host: %s' % (host_model_name(argv) or
                            'the default (linux if /dev/iommu exists)'))
    print()
    print('Command line')
    print('------------')
    print(wrap_command(argv))


def run(argv, srcdir, title):
    name = host_model_name(argv)
    path = host_model_path(name, srcdir)
    host = (HostModel(name, path, srcdir)
            if path and os.path.exists(path) else None)
    workdir = tempfile.mkdtemp(prefix='plane-report-')
    print_header(title, argv, host)
    sys.stdout.flush()
    try:
        fw = FirmwareView(dump_dtb(argv, workdir))
        emu = Emulator(argv, workdir)
    except StartFailure as e:
        status, _, messages = str(e).partition('\n')
        print()
        print('The emulator failed to start (%s):' % status)
        for line in messages.splitlines():
            print('  ' + line)
        print()
        print('VERDICT: NOT STARTED: %s'
              % start_error((messages.splitlines() or [status])[-1]))
        shutil.rmtree(workdir, ignore_errors=True)
        return EXIT_START
    try:
        report = Report(emu, fw, host)
        report.run()
    except (EOFError, OSError) as e:
        print('the emulator stopped answering (%s): %s'
              % (e.__class__.__name__, emu.failure()), file=sys.stderr)
        return EXIT_START
    except (QmpError, RuntimeError) as e:
        print('the report could not be completed: %s' % e, file=sys.stderr)
        return EXIT_MISMATCH
    finally:
        status = emu.quit()
        messages = emu.messages().strip()
        shutil.rmtree(workdir, ignore_errors=True)
    if messages:
        print()
        print('Emulator messages:')
        for line in messages.splitlines():
            print('  ' + line)
    if status:
        print('the emulator exited with status %s' % status, file=sys.stderr)
        return EXIT_START
    return EXIT_MISMATCH if report.checks.failed else EXIT_OK


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        description='Run an emulator command line and report the '
                    'device-assignment plane (see the file header).')
    parser.add_argument('--srcdir', default=os.path.dirname(here),
                        help='source tree holding hosts/ (default: ..)')
    parser.add_argument('--title', default='Device-assignment plane report')
    parser.add_argument('--pick-device', metavar='HOST_MODEL',
                        help='print the host address to assign and exit')
    parser.add_argument('command', nargs=argparse.REMAINDER,
                        help='EMULATOR ARG...')
    opts = parser.parse_args()
    if opts.pick_device:
        path = host_model_path(opts.pick_device, opts.srcdir)
        addr = None
        if not path or not os.path.exists(path):
            problem = 'no host description %s' % (path or opts.pick_device)
        else:
            addr = HostModel(opts.pick_device, path,
                             opts.srcdir).pick_device()
            problem = ('%s has no vfio-bound device behind an arm-smmuv3'
                       % opts.pick_device)
        print(addr or 'plane-report.py: ' + problem,
              file=sys.stdout if addr else sys.stderr)
        return EXIT_OK if addr else EXIT_USAGE
    command = opts.command[1:] if opts.command[:1] == ['--'] else opts.command
    if not command:
        parser.error('no emulator command line given')
    return run(command, opts.srcdir, opts.title)


if __name__ == '__main__':
    sys.exit(main())
