/** Reads just enough of an ELF file to tell static from dynamic and stripped from not. */

export interface ElfInfo {
  readonly class: 32 | 64;
  readonly littleEndian: boolean;
  /** e_type: 2 EXEC, 3 DYN (PIE). */
  readonly type: number;
  readonly machine: number;
  /** PT_INTERP path (e.g. /lib64/ld-linux-x86-64.so.2); null for a static binary. */
  readonly interpreter: string | null;
  readonly hasDynamicSection: boolean;
  readonly sections: readonly string[];
  /** No .symtab: the symbol table was stripped (-ldflags "-s"). */
  readonly stripped: boolean;
}

const PT_INTERP = 3;
const PT_DYNAMIC = 2;

/** Parses an ELF image; returns undefined when the bytes are not ELF (a script, a text file...). */
export const parseElf = (buf: Buffer): ElfInfo | undefined => {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (off: number) => (le ? buf.readUInt16LE(off) : buf.readUInt16BE(off));
  const u32 = (off: number) => (le ? buf.readUInt32LE(off) : buf.readUInt32BE(off));
  const addr = (off: number) => (is64 ? Number(le ? buf.readBigUInt64LE(off) : buf.readBigUInt64BE(off)) : u32(off));
  const type = u16(16);
  const machine = u16(18);
  const phoff = addr(is64 ? 32 : 28);
  const shoff = addr(is64 ? 40 : 32);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const shentsize = u16(is64 ? 58 : 46);
  const shnum = u16(is64 ? 60 : 48);
  const shstrndx = u16(is64 ? 62 : 50);
  let interpreter: string | null = null;
  let hasDynamicSection = false;
  for (let i = 0; i < phnum; i++) {
    const base = phoff + i * phentsize;
    if (base + phentsize > buf.length) break;
    const pType = u32(base);
    if (pType === PT_DYNAMIC) hasDynamicSection = true;
    if (pType === PT_INTERP) {
      const offset = addr(base + (is64 ? 8 : 4));
      const size = is64 ? addr(base + 32) : u32(base + 16);
      interpreter =
        buf
          .subarray(offset, offset + size)
          .toString('utf8')
          .replace(/\0+$/, '') || '(unreadable)';
    }
  }
  const sections: string[] = [];
  if (shoff > 0 && shnum > 0 && shoff + shnum * shentsize <= buf.length && shstrndx < shnum) {
    const sectionOffset = (index: number) => addr(shoff + index * shentsize + (is64 ? 24 : 16));
    const strtab = sectionOffset(shstrndx);
    for (let i = 0; i < shnum; i++) {
      const nameOff = u32(shoff + i * shentsize);
      const start = strtab + nameOff;
      const end = buf.indexOf(0, start);
      if (start < buf.length && end > start) sections.push(buf.subarray(start, end).toString('utf8'));
    }
  }
  return {
    class: is64 ? 64 : 32,
    littleEndian: le,
    type,
    machine,
    interpreter,
    hasDynamicSection,
    sections,
    stripped: !sections.includes('.symtab'),
  };
};
