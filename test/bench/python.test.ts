// Finding a Python with torch: INVERSA_PYTHON overrides; otherwise python3, then /usr/bin/python3;
// the first with torch wins. The probe is faked here, so no PyTorch is needed; one test runs a real
// interpreter against a stand-in `torch` module on PYTHONPATH.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePython, describeAttempts, parseProbeOutput, probePython, pythonCandidates, type ProbeResult } from '../../bench/peers/python.ts';

const hasPython3 = spawnSync('python3', ['--version']).status === 0;

describe('pythonCandidates', () => {
  it('tries python3 on PATH, then Debian\'s /usr/bin/python3', () => {
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
  });

  it('INVERSA_PYTHON replaces the list (an explicit choice does not fall back)', () => {
    expect(pythonCandidates({ INVERSA_PYTHON: '/opt/venv/bin/python' })).toEqual(['/opt/venv/bin/python']);
    expect(pythonCandidates({ INVERSA_PYTHON: '  ' })).toEqual(['python3', '/usr/bin/python3']);
  });
});

describe('choosePython', () => {
  const fakeProbe = (answers: Record<string, ProbeResult>) => {
    const asked: string[] = [];
    const probe = (command: string): ProbeResult => {
      asked.push(command);
      return answers[command] ?? { error: 'not found' };
    };
    return { probe, asked };
  };

  it('falls back to /usr/bin/python3 when python3 has no torch', () => {
    const { probe, asked } = fakeProbe({
      python3: { error: "ModuleNotFoundError: No module named 'torch'" },
      '/usr/bin/python3': { torch: '1.13.0a0', python: '3.11.2' },
    });
    const choice = choosePython(pythonCandidates({}), probe);
    expect(choice.command).toBe('/usr/bin/python3');
    expect(choice.torch).toBe('1.13.0a0');
    expect(asked).toEqual(['python3', '/usr/bin/python3']);
    expect(describeAttempts(choice.attempts)).toBe("python3: ModuleNotFoundError: No module named 'torch'; /usr/bin/python3: torch 1.13.0a0");
  });

  it('stops at the first candidate with torch', () => {
    const { probe, asked } = fakeProbe({ python3: { torch: '2.3.0', python: '3.12.1' }, '/usr/bin/python3': { torch: '1.13.0', python: '3.11.2' } });
    expect(choosePython(pythonCandidates({}), probe).command).toBe('python3');
    expect(asked).toEqual(['python3']);
  });

  it('returns no command, with every attempt, when none has torch', () => {
    const { probe } = fakeProbe({});
    const choice = choosePython(pythonCandidates({}), probe);
    expect(choice.command).toBeNull();
    expect(choice.attempts.map((attempt) => attempt.command)).toEqual(['python3', '/usr/bin/python3']);
  });

  it('with INVERSA_PYTHON only that interpreter is probed', () => {
    const { probe, asked } = fakeProbe({ '/usr/bin/python3': { torch: '1.13.0', python: '3.11.2' } });
    const choice = choosePython(pythonCandidates({ INVERSA_PYTHON: '/opt/python' }), probe);
    expect(choice.command).toBeNull();
    expect(asked).toEqual(['/opt/python']);
  });
});

describe('probePython', () => {
  let directory = '';
  const savedPythonPath = process.env.PYTHONPATH;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = '';
    if (savedPythonPath === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = savedPythonPath;
  });

  it('reads the probe\'s JSON and rejects anything else', () => {
    expect(parseProbeOutput('{"torch": "1.13.0a0", "python": "3.11.2"}\n')).toEqual({ torch: '1.13.0a0', python: '3.11.2' });
    expect(parseProbeOutput('Traceback ...')).toHaveProperty('error');
    expect(parseProbeOutput('{"python": "3.11.2"}')).toHaveProperty('error');
  });

  it('says "not found" for a missing interpreter', () => {
    expect(probePython('/nonexistent/inversa-python-for-test')).toEqual({ error: 'not found' });
  });

  it.skipIf(!hasPython3)('finds the version of a torch module on the path, and the import error of a broken one', () => {
    directory = mkdtempSync(path.join(tmpdir(), 'inversa-fake-torch-'));
    process.env.PYTHONPATH = directory;
    writeFileSync(path.join(directory, 'torch.py'), '__version__ = "0.0.fake"\n');
    expect(probePython('python3')).toMatchObject({ torch: '0.0.fake' });
    writeFileSync(path.join(directory, 'torch.py'), 'raise ImportError("fake torch refuses to load")\n');
    expect(probePython('python3')).toEqual({ error: 'ImportError: fake torch refuses to load' });
  });
});
