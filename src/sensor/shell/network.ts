/** The emulated host's one network interface (ip, ifconfig, hostname -I). */
export const NETWORK = {
  iface: 'eth0',
  address: '192.168.122.34',
  prefix: 24,
  broadcast: '192.168.122.255',
  netmask: '255.255.255.0',
  network: '192.168.122.0',
  gateway: '192.168.122.1',
  mac: '52:54:00:3c:8a:71',
  linkLocal: 'fe80::5054:ff:fe3c:8a71',
} as const;
