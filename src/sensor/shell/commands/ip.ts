import type { Command } from '../command.js';
import { NETWORK as N } from '../network.js';

const ADDR =
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
  '    inet 127.0.0.1/8 scope host lo\n' +
  '       valid_lft forever preferred_lft forever\n' +
  '    inet6 ::1/128 scope host noprefixroute \n' +
  '       valid_lft forever preferred_lft forever\n' +
  `2: ${N.iface}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n` +
  `    link/ether ${N.mac} brd ff:ff:ff:ff:ff:ff\n` +
  '    altname enp1s0\n' +
  `    inet ${N.address}/${N.prefix} brd ${N.broadcast} scope global dynamic ${N.iface}\n` +
  '       valid_lft 3254sec preferred_lft 3254sec\n' +
  `    inet6 ${N.linkLocal}/64 scope link \n` +
  '       valid_lft forever preferred_lft forever\n';

const LINK =
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
  '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
  `2: ${N.iface}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\n` +
  `    link/ether ${N.mac} brd ff:ff:ff:ff:ff:ff\n    altname enp1s0\n`;

const ROUTE = `default via ${N.gateway} dev ${N.iface} \n${N.network}/${N.prefix} dev ${N.iface} proto kernel scope link src ${N.address} \n`;

const USAGE =
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\n' +
  'where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |\n' +
  '                   macsec | maddress | monitor | mptcp | mroute | mrule |\n' +
  '                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n' +
  '                   ntbl | route | rule | sr | tap | tcpmetrics |\n' +
  '                   token | tunnel | tuntap | vrf | xfrm }\n';

export const ip: Command = {
  path: '/usr/sbin/ip',
  run(ctx) {
    const object = ctx.args.find((a) => !a.startsWith('-'));
    if (object === undefined) {
      ctx.stderr(USAGE);
      return 255;
    }
    if ('address'.startsWith(object)) ctx.stdout(ADDR);
    else if ('link'.startsWith(object)) ctx.stdout(LINK);
    else if ('route'.startsWith(object)) ctx.stdout(ROUTE);
    else {
      ctx.stderr(`Object "${object}" is unknown, try "ip help".\n`);
      return 1;
    }
    return 0;
  },
};

export const ifconfig: Command = {
  path: '/usr/sbin/ifconfig',
  run(ctx) {
    ctx.stdout(
      `${N.iface}: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n` +
        `        inet ${N.address}  netmask ${N.netmask}  broadcast ${N.broadcast}\n` +
        `        inet6 ${N.linkLocal}  prefixlen 64  scopeid 0x20<link>\n` +
        `        ether ${N.mac}  txqueuelen 1000  (Ethernet)\n` +
        '        RX packets 1207394  bytes 412897463 (393.7 MiB)\n        RX errors 0  dropped 12  overruns 0  frame 0\n' +
        '        TX packets 784211  bytes 98213470 (93.6 MiB)\n        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n' +
        'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n        inet 127.0.0.1  netmask 255.0.0.0\n' +
        '        inet6 ::1  prefixlen 128  scopeid 0x10<host>\n        loop  txqueuelen 1000  (Local Loopback)\n' +
        '        RX packets 3412  bytes 298716 (291.7 KiB)\n        RX errors 0  dropped 0  overruns 0  frame 0\n' +
        '        TX packets 3412  bytes 298716 (291.7 KiB)\n        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n',
    );
    return 0;
  },
};
