// A sync-fanout subscriber in plain JavaScript: the rules of docs/subscribers.md, and nothing else.
// It agrees with the Java reference subscriber on docs/subscriber-vectors.json (subscriber.test.mjs).

/**
 * JSON.parse, but every integer comes back as a BigInt: an HLC timestamp (milliseconds << 16) is past
 * 2^53, where JavaScript numbers stop being exact, and two updates 1 apart would look equal. (Where
 * JSON.parse hands a reviver the source text, as from Node 22 and current browsers, a reviver can do this.)
 */
export function parseExact(text) {
  let i = 0;
  const ws = () => { while (' \t\n\r'.includes(text[i])) i++; };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const object = {}; ws();
      if (text[i] === '}') { i++; return object; }
      for (;;) {
        ws(); const key = string(); ws(); i++; // ':'
        object[key] = value(); ws();
        if (text[i++] === '}') return object;
      }
    }
    if (c === '[') {
      i++; const array = []; ws();
      if (text[i] === ']') { i++; return array; }
      for (;;) {
        array.push(value()); ws();
        if (text[i++] === ']') return array;
      }
    }
    if (c === '"') return string();
    const literal = /^-?\d+(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i))[0];
    i += literal.length;
    if (literal === 'true' || literal === 'false') return literal === 'true';
    if (literal === 'null') return null;
    return /^-?\d+$/.test(literal) ? BigInt(literal) : Number(literal);
  };
  const string = () => {
    let end = i + 1;
    while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    const s = JSON.parse(text.slice(i, end + 1));
    i = end + 1;
    return s;
  };
  const result = value();
  return result;
}

/** Strings by Unicode code point (the byte order of their UTF-8), not by UTF-16 unit as < compares them. */
export function compareCodePoints(a, b) {
  const x = Array.from(a, (ch) => ch.codePointAt(0));
  const y = Array.from(b, (ch) => ch.codePointAt(0));
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  }
  return x.length - y.length;
}

/** Amendment 19: the larger timestamp, then the larger device_id, then the larger message_id. */
export function isNewer(a, b) {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const byDevice = compareCodePoints(a.device_id, b.device_id);
  return byDevice !== 0 ? byDevice > 0 : compareCodePoints(a.message_id, b.message_id) > 0;
}

/** One device: what it shows for each channel it listens on. */
export class Device {
  constructor() {
    this.channels = new Map();
  }

  channel(name) {
    if (!this.channels.has(name)) {
      this.channels.set(name, { seen: new Set(), added: new Map(), removed: new Map(), progress: new Map() });
    }
    return this.channels.get(name);
  }

  /** A message as PubNub delivers it on a channel: an update, or a batch envelope of updates. */
  receive(channelName, message) {
    const ch = this.channel(channelName);
    if (ch.seen.has(message.message_id)) return; // a redelivery: already applied
    ch.seen.add(message.message_id);
    if (message.type === 'batch') {
      for (const item of message.messages) this.receive(channelName, item);
      return;
    }
    if (message.type === 'watchlist_update') {
      const tags = message.operation === 'Remove' ? ch.removed : ch.added;
      if (!tags.has(message.content_id)) tags.set(message.content_id, new Set());
      tags.get(message.content_id).add(message.unique_tag);
    } else if (message.type === 'progress_update') {
      const kept = ch.progress.get(message.content_id);
      if (!kept || isNewer(message, kept)) ch.progress.set(message.content_id, message);
    }
    // Any other type: not for this version of the app; ignore it.
  }

  /** The watchlist (titles holding a tag no Remove named) and each title's newest progress. */
  state(channelName) {
    const ch = this.channel(channelName);
    const watchlist = [...ch.added]
      .filter(([content, tags]) => [...tags].some((tag) => !(ch.removed.get(content) ?? new Set()).has(tag)))
      .map(([content]) => content)
      .sort(compareCodePoints);
    const progress = {};
    for (const [content, p] of [...ch.progress].sort(([a], [b]) => compareCodePoints(a, b))) {
      progress[content] = {
        timestamp: p.timestamp, device_id: p.device_id, message_id: p.message_id,
        position_seconds: p.position_seconds, duration_seconds: p.duration_seconds, state: p.state,
      };
    }
    return { watchlist, progress };
  }
}
