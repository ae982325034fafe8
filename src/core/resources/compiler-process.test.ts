import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyProcess } from './compiler-process.js';

const words = (line: string): string[] => line.trim().split(/\s+/);

// Printed by gcc 12.2 (Debian 12.2.0-14) for `c++ -v -c x.cc -o CMakeFiles/t.dir/x.cc.o`.
const CC1PLUS_V = words(`/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -quiet -v -imultiarch x86_64-linux-gnu -D_GNU_SOURCE x.cc -quiet
  -dumpdir CMakeFiles/t.dir/ -dumpbase x.cc.cc -dumpbase-ext .cc -mtune=generic -march=x86-64 -version -fasynchronous-unwind-tables -o /tmp/ccc41nPP.s`);
const AS_V = words('as -v --64 -o CMakeFiles/t.dir/x.cc.o /tmp/ccc41nPP.s');
// Printed by gcc 12.2 (`-###`) for the command CMake's Makefile generator runs for a FluffOS-style package source.
const CMAKE_CXX = words(`/usr/bin/c++ -DFOO -I/tmp/gv/include -O3 -DNDEBUG -std=gnu++17 -MD -MT src/packages/core/CMakeFiles/package_core.dir/core.cc.o
  -MF src/packages/core/CMakeFiles/package_core.dir/core.cc.o.d -o src/packages/core/CMakeFiles/package_core.dir/core.cc.o -c /tmp/gv/src/packages/core/core.cc`);
const CMAKE_CC1PLUS = words(`/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -quiet -I /tmp/gv/include -imultiarch x86_64-linux-gnu
  -MD src/packages/core/CMakeFiles/package_core.dir/core.cc.d -MF src/packages/core/CMakeFiles/package_core.dir/core.cc.o.d
  -MT src/packages/core/CMakeFiles/package_core.dir/core.cc.o -D_GNU_SOURCE -D FOO -D NDEBUG /tmp/gv/src/packages/core/core.cc -quiet
  -dumpdir src/packages/core/CMakeFiles/package_core.dir/ -dumpbase core.cc.cc -dumpbase-ext .cc -mtune=generic -march=x86-64 -O3
  -std=gnu++17 -fasynchronous-unwind-tables -o /tmp/ccNiL13y.s`);
// `gcc -v -c m.c` (no -o): the object is m.o in the working directory.
const CC1_NO_OUTPUT = words(`/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -v -imultiarch x86_64-linux-gnu m.c -quiet -dumpbase m.c -dumpbase-ext .c
  -mtune=generic -march=x86-64 -version -fasynchronous-unwind-tables -o /tmp/ccHOCAHx.s`);
// `gcc -v -S m.c -o CMakeFiles/t.dir/m.c.s`: cc1 writes the named assembly itself.
const CC1_ASSEMBLY = words(`/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -v -imultiarch x86_64-linux-gnu m.c -quiet -dumpdir CMakeFiles/t.dir/
  -dumpbase m.c.c -dumpbase-ext .c -mtune=generic -march=x86-64 -version -o CMakeFiles/t.dir/m.c.s -fasynchronous-unwind-tables`);
// `gcc -v m.c -o m`, then `gcc -v -flto CMakeFiles/t.dir/m.c.o -o bin/prog` (collect2 cut after -o and the first inputs).
const COLLECT2 = words(`/usr/lib/gcc/x86_64-linux-gnu/12/collect2 -plugin /usr/lib/gcc/x86_64-linux-gnu/12/liblto_plugin.so
  -plugin-opt=/usr/lib/gcc/x86_64-linux-gnu/12/lto-wrapper -plugin-opt=-fresolution=/tmp/ccNDStUx.res -plugin-opt=-pass-through=-lgcc
  --build-id --eh-frame-hdr -m elf_x86_64 --hash-style=gnu --as-needed -dynamic-linker /lib64/ld-linux-x86-64.so.2 -pie -o m
  /usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/Scrt1.o /tmp/ccm7H0lo.o -lgcc --push-state --as-needed -lgcc_s --pop-state -lc`);
const LTO1_WPA = words(`/usr/lib/gcc/x86_64-linux-gnu/12/lto1 -quiet -dumpbase bin/prog.wpa -mtune=generic -march=x86-64 -version -fno-openmp
  -fno-openacc -fPIC -fcf-protection=none -fltrans-output-list=/tmp/ccWTGRcn.ltrans.out -fwpa -fresolution=/tmp/ccQVRHyq.res -flinker-output=pie @/tmp/ccksM0Sw`);
const LTO1_LTRANS = words(`/usr/lib/gcc/x86_64-linux-gnu/12/lto1 -quiet -dumpbase bin/prog.ltrans0.ltrans -mtune=generic -march=x86-64 -version
  -fno-openmp -fno-openacc -fPIC -fcf-protection=none -fltrans @/tmp/ccAYG4Xg -o /tmp/ccWR0Tzn.s`);

const cases: { what: string; name: string; argv: string[]; want: ReturnType<typeof classifyProcess> }[] = [
  { what: 'cc1plus under -v: the object from -dumpdir/-dumpbase', name: 'cc1plus', argv: CC1PLUS_V,
    want: { role: 'compile', source: 'x.cc', output: 'CMakeFiles/t.dir/x.cc.o' } },
  { what: 'the assembler: its -o object, not its temporary input', name: 'as', argv: AS_V,
    want: { role: 'compile', source: null, output: 'CMakeFiles/t.dir/x.cc.o' } },
  { what: 'the CMake compile command', name: 'c++', argv: CMAKE_CXX,
    want: { role: 'compile', source: '/tmp/gv/src/packages/core/core.cc', output: 'src/packages/core/CMakeFiles/package_core.dir/core.cc.o' } },
  { what: 'its cc1plus: -MD takes a file, -I and -D a separate value', name: 'cc1plus', argv: CMAKE_CC1PLUS,
    want: { role: 'compile', source: '/tmp/gv/src/packages/core/core.cc', output: 'src/packages/core/CMakeFiles/package_core.dir/core.cc.o' } },
  { what: 'cc1 without -o in the driver', name: 'cc1', argv: CC1_NO_OUTPUT, want: { role: 'compile', source: 'm.c', output: 'm.o' } },
  { what: 'cc1 writing a named .s', name: 'cc1', argv: CC1_ASSEMBLY, want: { role: 'compile', source: 'm.c', output: 'CMakeFiles/t.dir/m.c.s' } },
  { what: 'gcc before 11: -auxbase-strip is the object', name: 'cc1plus',
    argv: words('/usr/lib/gcc/x86_64-linux-gnu/10/cc1plus -quiet -D_GNU_SOURCE a.cc -quiet -dumpbase a.cc -mtune=generic -auxbase-strip obj/a.cc.o -O2 -o /tmp/ccAb12Cd.s'),
    want: { role: 'compile', source: 'a.cc', output: 'obj/a.cc.o' } },
  { what: 'collect2', name: 'collect2', argv: COLLECT2, want: { role: 'link', source: null, output: 'm' } },
  { what: 'ld run by collect2 with the same arguments', name: 'ld', argv: ['/usr/bin/ld', ...COLLECT2.slice(1)], want: { role: 'link', source: null, output: 'm' } },
  { what: 'LTO whole-program pass', name: 'lto1', argv: LTO1_WPA, want: { role: 'link', source: null, output: 'bin/prog' } },
  { what: 'LTO partition', name: 'lto1', argv: LTO1_LTRANS, want: { role: 'link', source: null, output: 'bin/prog' } },
  { what: 'gcc driving a link', name: 'cc', argv: words('/usr/bin/cc -O2 CMakeFiles/t.dir/m.c.o -o bin/prog -lm'), want: { role: 'link', source: null, output: 'bin/prog' } },
  { what: 'gcc compiling and linking in one go is a link', name: 'gcc', argv: words('gcc m.c -o m'), want: { role: 'link', source: null, output: 'm' } },
  { what: 'a link without -o makes a.out', name: 'g++', argv: words('g++ a.o b.o'), want: { role: 'link', source: null, output: 'a.out' } },
  { what: '-x makes any input a source; joined -o', name: 'gcc', argv: words('gcc -x c -c /tmp/t/file.inc -o/tmp/t/x.o'),
    want: { role: 'compile', source: '/tmp/t/file.inc', output: '/tmp/t/x.o' } },
  { what: 'a versioned cross compiler', name: 'x86_64-linux-gn', argv: words('/usr/bin/x86_64-linux-gnu-g++-12 -MF d.d -c src/a.cpp -o a.o'),
    want: { role: 'compile', source: 'src/a.cpp', output: 'a.o' } },
  { what: 'ccache in front of the compiler', name: 'ccache', argv: words('/usr/bin/ccache /usr/bin/c++ -o CMakeFiles/t.dir/a.cc.o -c /s/a.cc'),
    want: { role: 'compile', source: '/s/a.cc', output: 'CMakeFiles/t.dir/a.cc.o' } },
  { what: 'clang -cc1: the input after -x', name: 'clang', argv: words(`/usr/lib/llvm-15/bin/clang -cc1 -triple x86_64-pc-linux-gnu -emit-obj
    -main-file-name a.cc -o CMakeFiles/t.dir/a.cc.o -x c++ /s/a.cc`), want: { role: 'compile', source: '/s/a.cc', output: 'CMakeFiles/t.dir/a.cc.o' } },
  { what: 'CMake archiving a static library', name: 'ar', argv: words('/usr/bin/ar qc libpackage_core.a CMakeFiles/package_core.dir/core.cc.o'),
    want: { role: 'link', source: null, output: 'libpackage_core.a' } },
  { what: 'ar with a dashed key and a plugin', name: 'ar', argv: words('ar --plugin /usr/lib/lto.so -rcs lib/libz.a a.o'), want: { role: 'link', source: null, output: 'lib/libz.a' } },
  { what: 'gcc-ar with a relpos', name: 'x86_64-linux-gn', argv: words('/usr/bin/x86_64-linux-gnu-gcc-ar-12 rb c.o libz.a a.o'),
    want: { role: 'link', source: null, output: 'libz.a' } },
  { what: 'ranlib', name: 'ranlib', argv: words('/usr/bin/ranlib libzstd.a'), want: { role: 'link', source: null, output: 'libzstd.a' } },
  { what: 'only the kernel name: a zombie compiler', name: 'cc1plus', argv: [], want: { role: 'compile', source: null, output: null } },
];

for (const c of cases) {
  test(`classifyProcess: ${c.what}`, () => {
    assert.deepEqual(classifyProcess(c.name, c.argv), c.want);
  });
}

test('classifyProcess: what neither compiles nor links is null', () => {
  assert.equal(classifyProcess('make', words('make -j2')), null);
  assert.equal(classifyProcess('ninja', words('/usr/bin/ninja -j 2')), null);
  assert.equal(classifyProcess('sh', words('/bin/sh -c cd /p/build && /usr/bin/c++ -c a.cc')), null);
  assert.equal(classifyProcess('gcc', words('gcc --version')), null, 'no input');
  assert.equal(classifyProcess('gcc', words('gcc -print-prog-name=cc1plus')), null);
  assert.equal(classifyProcess('ar', words('ar t libz.a')), null, 'listing an archive');
  assert.equal(classifyProcess('lto-wrapper', words('/usr/lib/gcc/x86_64-linux-gnu/12/lto-wrapper -fresolution=/tmp/ccQVRHyq.res CMakeFiles/t.dir/m.c.o')), null);
  assert.equal(classifyProcess('cmake', words('/usr/bin/cmake -E cmake_link_script CMakeFiles/zstd.dir/link.txt --verbose=0')), null);
});
