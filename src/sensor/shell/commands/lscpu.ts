import type { Command } from '../command.js';

export const lscpu: Command = {
  path: '/usr/bin/lscpu',
  run(ctx) {
    ctx.stdout(
      'Architecture:            x86_64\n  CPU op-mode(s):        32-bit, 64-bit\n  Address sizes:         46 bits physical, 48 bits virtual\n' +
        '  Byte Order:            Little Endian\nCPU(s):                  2\n  On-line CPU(s) list:   0,1\nVendor ID:               GenuineIntel\n' +
        '  Model name:            Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz\n    CPU family:          6\n    Model:               85\n' +
        '    Thread(s) per core:  1\n    Core(s) per socket:  2\n    Socket(s):           1\n    Stepping:            7\n    BogoMIPS:            5999.99\n' +
        'Virtualization features: \n  Hypervisor vendor:     KVM\n  Virtualization type:   full\nCaches (sum of all):     \n' +
        '  L1d:                   64 KiB (2 instances)\n  L1i:                   64 KiB (2 instances)\n  L2:                    2 MiB (2 instances)\n' +
        '  L3:                    35.8 MiB (1 instance)\nNUMA:                    \n  NUMA node(s):          1\n  NUMA node0 CPU(s):     0,1\n',
    );
    return 0;
  },
};
