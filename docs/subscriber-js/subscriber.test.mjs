// node --test docs/subscriber-js: the JavaScript reader against the vectors the Java reference subscriber made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Device, parseExact } from './subscriber.mjs';

const text = readFileSync(new URL('../subscriber-vectors.json', import.meta.url), 'utf8');
const { vectors } = parseExact(text);

for (const vector of vectors) {
  test(vector.name, () => {
    const device = new Device();
    for (const { channel, message } of vector.deliveries) device.receive(channel, message);
    for (const [channel, expected] of Object.entries(vector.expected)) {
      assert.deepStrictEqual(device.state(channel), expected, `${vector.name}: ${vector.why}`);
    }
  });
}

test('a reader with JSON.parse and < gets the ties and the big timestamps wrong', () => {
  // What the vectors are for: the two mistakes a JavaScript subscriber makes first.
  const naive = JSON.parse(text).vectors;
  const wrong = [];
  for (const vector of naive) {
    const kept = new Map();
    const seen = new Set();
    const receive = (m) => {
      if (seen.has(m.message_id)) return;
      seen.add(m.message_id);
      if (m.type === 'batch') return m.messages.forEach(receive);
      if (m.type !== 'progress_update') return;
      const k = kept.get(m.content_id);
      const newer = !k || m.timestamp > k.timestamp || (m.timestamp === k.timestamp
        && (m.device_id > k.device_id || (m.device_id === k.device_id && m.message_id > k.message_id)));
      if (newer) kept.set(m.content_id, m);
    };
    vector.deliveries.forEach((d) => receive(d.message));
    for (const expected of Object.values(vector.expected)) {
      for (const [content, p] of Object.entries(expected.progress)) {
        if (kept.get(content)?.message_id !== p.message_id) wrong.push(vector.name);
      }
    }
  }
  assert.deepStrictEqual(wrong.sort(), ['progress-arrives-out-of-order', 'progress-tie-outside-the-bmp', 'timestamps-past-2-pow-53']);
});
