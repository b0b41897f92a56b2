import { describe, expect, it } from 'vitest';
import { formatRecordingLine, parseRecording } from '../../../electron/common/wire-recording';

describe('the recording format', () => {
  it('writes one JSON line per entry and reads back the same texts, control characters included', () => {
    const entries = [
      { dir: 'in' as const, t: 1_700_000_000_123, text: '{\r\n    "return": {\r\n    }\r\n}\r\n' },
      { dir: 'out' as const, t: 1_700_000_000_124.5, text: '{"execute":"x","arguments":{"s":"\\u0000\u2028"}}\n' },
    ];
    const text = entries.map((e) => `${formatRecordingLine(e)}\n`).join('');
    expect(text.split('\n')).toHaveLength(3);
    expect(formatRecordingLine(entries[0]!)).toBe('{"dir":"in","t":1700000000123,"text":"{\\r\\n    \\"return\\": {\\r\\n    }\\r\\n}\\r\\n"}');
    expect(parseRecording(text)).toEqual({ entries, badLines: [] });
  });

  it('keeps every whole entry and names the lines that are not one', () => {
    const text = ['{"dir":"in","t":1,"text":"a"}', '{"dir":"sideways","t":1,"text":"a"}', '', '{"dir":"out","t":"soon","text":"b"}', '[1]', '{"dir":"out","t":2,"text":"c"}', '{"dir":"in","t":3,"te'].join('\n');
    const parsed = parseRecording(text);
    expect(parsed.entries.map((e) => e.text)).toEqual(['a', 'c']);
    expect(parsed.badLines.map((b) => b.line)).toEqual([2, 4, 5, 7]);
    expect(parsed.badLines[0]!.reason).toMatch(/dir/);
  });
});

describe('wire log entries saved as a recording', () => {
  it('writes the same line a recording has, and counts the entries cut for display', async () => {
    const { wireEntriesAsRecording } = await import('../../../electron/common/wire-entry');
    const saved = wireEntriesAsRecording([
      { seq: 1, dir: 'in', at: 5, bytes: 3, text: '{}\n', textLength: 3, truncated: false },
      { seq: 2, dir: 'out', at: 6, bytes: 90, text: '{"exe', textLength: 90, truncated: true },
    ]);
    expect(saved.truncated).toBe(1);
    expect(parseRecording(saved.text).entries).toEqual([
      { dir: 'in', t: 5, text: '{}\n' },
      { dir: 'out', t: 6, text: '{"exe' },
    ]);
  });
});
