import { describe, expect, it } from 'vitest';
import { expandWord } from './expand-word.js';
import { parseCommandLine, type ListItem, type PipelineCommand, type Word } from './parse-command-line.js';

const VARS: Record<string, string> = { HOME: '/root', X: 'a b', EMPTY: '' };

function expand(word: Word): string[] {
  return expandWord(word, { home: '/root', lookup: (name) => VARS[name] }).map((f) => f.value);
}

type Shape = string[] | { subshell: boolean; list: Shape[][]; redirects: number };

/** argv of each simple command of each pipeline; a group as its own list. */
function shape(command: PipelineCommand): Shape {
  if (command.kind === 'simple') return command.words.flatMap(expand);
  return { subshell: command.subshell, list: command.list.map((item) => item.pipeline.commands.map(shape)), redirects: command.redirects.length };
}

function argvs(line: string): Shape[][] {
  const result = parseCommandLine(line);
  if (!result.ok) throw new Error(result.error);
  return result.list.map((item: ListItem) => item.pipeline.commands.map(shape));
}

function operators(line: string): Array<string | undefined> {
  const result = parseCommandLine(line);
  if (!result.ok) throw new Error(result.error);
  return result.list.map((item) => item.next);
}

describe('parseCommandLine()', () => {
  it('splits words on blanks and removes quotes', () => {
    expect(argvs(`echo 'a  b' "c d" e\\ f`)).toEqual([[['echo', 'a  b', 'c d', 'e f']]]);
  });

  it('keeps empty quoted strings as arguments', () => {
    expect(argvs(`echo '' ""`)).toEqual([[['echo', '', '']]]);
  });

  it('expands $VAR and ${VAR}, splitting unquoted values only', () => {
    expect(argvs('echo $X "$X" ${HOME}/x $EMPTY')).toEqual([[['echo', 'a', 'b', 'a b', '/root/x']]]);
  });

  it('does not expand variables in single quotes', () => {
    expect(argvs(`echo '$HOME'`)).toEqual([[['echo', '$HOME']]]);
  });

  it('expands ~ at the start of a word only', () => {
    expect(argvs('ls ~ ~/x a~')).toEqual([[['ls', '/root', '/root/x', 'a~']]]);
  });

  it('splits lists on ; && || & and newlines', () => {
    expect(argvs('a; b && c || d & e\nf')).toEqual([[['a']], [['b']], [['c']], [['d']], [['e']], [['f']]]);
    expect(operators('a; b && c || d & e\nf')).toEqual([';', '&&', '||', '&', ';', undefined]);
  });

  it('splits pipelines on |', () => {
    expect(argvs('cat /etc/passwd | grep root | wc -l')).toEqual([[['cat', '/etc/passwd'], ['grep', 'root'], ['wc', '-l']]]);
  });

  it('parses redirects with file descriptors and duplication', () => {
    const result = parseCommandLine('cmd > out 2>/dev/null >> log 2>&1 < in');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const command = result.list[0]?.pipeline.commands[0];
    expect(command && shape(command)).toEqual(['cmd']);
    expect(command?.redirects.map((r) => (r.op === '>&' ? `${r.fd}>&${r.toFd}` : `${r.fd}${r.op}${expand(r.target).join('')}`))).toEqual([
      '1>out',
      '2>/dev/null',
      '1>>log',
      '2>&1',
      '0<in',
    ]);
  });

  it('reads &> as stdout and stderr to one file', () => {
    const result = parseCommandLine('x &>/dev/null');
    expect(result.ok && result.list[0]?.pipeline.commands[0]?.redirects).toEqual([
      { fd: 1, op: '>', target: { parts: [{ kind: 'text', text: '/dev/null', quoted: false }] } },
      { fd: 2, op: '>&', toFd: 1 },
    ]);
  });

  it('ignores comments', () => {
    expect(argvs('echo a # rm -rf /')).toEqual([[['echo', 'a']]]);
    expect(argvs('echo a#b')).toEqual([[['echo', 'a#b']]]);
  });

  it('keeps $(...) and backticks as literal text, never running them', () => {
    expect(argvs('echo $(rm -rf /) `reboot`')).toEqual([[['echo', '$(rm -rf /)', '`reboot`']]]);
    expect(argvs('echo $(echo $(id))')).toEqual([[['echo', '$(echo $(id))']]]);
  });

  it('reports an unbalanced single quote as bash does', () => {
    expect(parseCommandLine("echo 'abc")).toEqual({ ok: false, error: "unexpected EOF while looking for matching `''" });
  });

  it('reports an unbalanced double quote as bash does', () => {
    expect(parseCommandLine('echo "abc')).toEqual({ ok: false, error: 'unexpected EOF while looking for matching `"\'' });
  });

  it('reports an unbalanced $( as bash does', () => {
    expect(parseCommandLine('echo $(id')).toEqual({ ok: false, error: "unexpected EOF while looking for matching `)'" });
  });

  it('reports a leading operator as a syntax error', () => {
    expect(parseCommandLine('| ls')).toEqual({ ok: false, error: "syntax error near unexpected token `|'" });
    expect(parseCommandLine('; ls')).toEqual({ ok: false, error: "syntax error near unexpected token `;'" });
    expect(parseCommandLine('ls ;; ls')).toEqual({ ok: false, error: "syntax error near unexpected token `;;'" });
  });

  it('reports a trailing && or | as an unexpected end of file', () => {
    expect(parseCommandLine('ls &&')).toEqual({ ok: false, error: 'syntax error: unexpected end of file' });
    expect(parseCommandLine('ls |')).toEqual({ ok: false, error: 'syntax error: unexpected end of file' });
  });

  it('reports a redirect without a target', () => {
    expect(parseCommandLine('echo >')).toEqual({ ok: false, error: "syntax error near unexpected token `newline'" });
  });

  it('accepts a trailing ; and blank lines', () => {
    expect(argvs('ls;')).toEqual([[['ls']]]);
    expect(argvs('\n\nls\n')).toEqual([[['ls']]]);
    expect(argvs('')).toEqual([]);
  });

  it('parses a 100,000-character line in linear time', () => {
    const long = `echo ${'a'.repeat(50_000)} ${'"b"'.repeat(16_000)}`;
    const started = performance.now();
    const argv = argvs(long)[0]?.[0] as string[];
    expect(performance.now() - started).toBeLessThan(1000);
    expect(argv[1]).toHaveLength(50_000);
    expect(argv[2]).toHaveLength(16_000);
  });

  it('parses ( list ) as a subshell group, with pipes and redirects on the group', () => {
    expect(argvs('(crontab -l; echo "* * * * * /tmp/x") | crontab -')).toEqual([
      [{ subshell: true, list: [[['crontab', '-l']], [['echo', '* * * * * /tmp/x']]], redirects: 0 }, ['crontab', '-']],
    ]);
    expect(argvs('(cd /tmp && ls)>out 2>&1; pwd')).toEqual([[{ subshell: true, list: [[['cd', '/tmp']], [['ls']]], redirects: 2 }], [['pwd']]]);
    expect(argvs('((a) | b)')).toEqual([[{ subshell: true, list: [[{ subshell: true, list: [[['a']]], redirects: 0 }, ['b']]], redirects: 0 }]]);
  });

  it('parses { list; } as a group in the current shell, and { only as a whole word', () => {
    expect(argvs('{ echo a; echo b; } > f')).toEqual([[{ subshell: false, list: [[['echo', 'a']], [['echo', 'b']]], redirects: 1 }]]);
    expect(argvs('{\necho a\n}')).toEqual([[{ subshell: false, list: [[['echo', 'a']]], redirects: 0 }]]);
    expect(argvs('echo { } "{"')).toEqual([[['echo', '{', '}', '{']]]);
  });

  it('reports unbalanced or misplaced groups as bash does', () => {
    expect(parseCommandLine('(ls')).toEqual({ ok: false, error: 'syntax error: unexpected end of file' });
    expect(parseCommandLine('ls)')).toEqual({ ok: false, error: "syntax error near unexpected token `)'" });
    expect(parseCommandLine('()')).toEqual({ ok: false, error: "syntax error near unexpected token `)'" });
    expect(parseCommandLine('(ls) x')).toEqual({ ok: false, error: "syntax error near unexpected token `x'" });
    expect(parseCommandLine('echo (a)')).toEqual({ ok: false, error: "syntax error near unexpected token `('" });
    expect(parseCommandLine('{ ls }')).toEqual({ ok: false, error: 'syntax error: unexpected end of file' });
    expect(parseCommandLine('(ls &&)')).toEqual({ ok: false, error: "syntax error near unexpected token `)'" });
  });

  it('refuses deeply nested groups without deep recursion', () => {
    expect(parseCommandLine(`${'('.repeat(10_000)}ls${')'.repeat(10_000)}`)).toEqual({ ok: false, error: 'maximum group nesting level exceeded' });
    expect(argvs(`${'('.repeat(30)}ls${')'.repeat(30)}`)).toHaveLength(1);
  });

  it('survives hostile byte soup without throwing', () => {
    const soup = '\'"`$({[;|&<>\\\u0000\u00ff\r\n'.repeat(5000);
    expect(() => parseCommandLine(soup)).not.toThrow();
  });
});
