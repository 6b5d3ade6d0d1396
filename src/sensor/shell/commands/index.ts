import type { Command } from '../command.js';
import { awk } from './awk.js';
import { base64 } from './base64.js';
import { busybox } from './busybox.js';
import { cat } from './cat.js';
import { cd } from './cd.js';
import { chmod } from './chmod.js';
import { clear } from './clear.js';
import { cp, mv } from './cp.js';
import { crontab } from './crontab.js';
import { curl } from './curl.js';
import { date } from './date.js';
import { df } from './df.js';
import { dig } from './dig.js';
import { echo } from './echo.js';
import { env } from './env.js';
import { exit } from './exit.js';
import { exportCommand, unset } from './export.js';
import { free } from './free.js';
import { ftpget } from './ftpget.js';
import { grep } from './grep.js';
import { md5sum, sha1sum, sha256sum, sha512sum } from './hash-sum.js';
import { head, tail } from './head.js';
import { history } from './history.js';
import { hostname } from './hostname.js';
import { id } from './id.js';
import { ifconfig, ip } from './ip.js';
import { ls } from './ls.js';
import { lscpu } from './lscpu.js';
import { mkdir } from './mkdir.js';
import { nc } from './nc.js';
import { nohup } from './nohup.js';
import { nproc } from './nproc.js';
import { passwd } from './passwd.js';
import { ping } from './ping.js';
import { printf } from './printf.js';
import { ps } from './ps.js';
import { pwd } from './pwd.js';
import { chattr, chown, chpasswd, kill, killall, pkill, sync } from './quiet.js';
import { rm } from './rm.js';
import { sh } from './sh.js';
import { sleep } from './sleep.js';
import { su } from './su.js';
import { sudo } from './sudo.js';
import { tftp } from './tftp.js';
import { top } from './top.js';
import { touch } from './touch.js';
import { falseCommand, trueCommand } from './true.js';
import { ulimit } from './ulimit.js';
import { uname } from './uname.js';
import { uptime } from './uptime.js';
import { w } from './w.js';
import { wc } from './wc.js';
import { wget } from './wget.js';
import { which } from './which.js';
import { whoami } from './whoami.js';

/** Every emulated command by the name it is called with; aliases share an implementation. */
export const COMMANDS = {
  awk,
  base64,
  bash: sh,
  busybox,
  cat,
  cd,
  chattr,
  chmod,
  chown,
  chpasswd,
  clear,
  cp,
  crontab,
  curl,
  dash: sh,
  date,
  df,
  dig,
  echo,
  env,
  exit,
  export: exportCommand,
  false: falseCommand,
  free,
  ftpget,
  grep,
  head,
  history,
  hostname,
  id,
  ifconfig,
  ip,
  kill,
  killall,
  logout: exit,
  ls,
  lscpu,
  mawk: awk,
  md5sum,
  mkdir,
  mv,
  nc,
  netcat: nc,
  nohup,
  nproc,
  passwd,
  ping,
  pkill,
  printf,
  ps,
  pwd,
  rm,
  sh,
  sha1sum,
  sha256sum,
  sha512sum,
  sleep,
  su,
  sudo,
  sync,
  tail,
  tftp,
  top,
  touch,
  true: trueCommand,
  ulimit,
  uname,
  unset,
  uptime,
  w,
  wc,
  wget,
  which,
  whoami,
} satisfies Record<string, Command>;
