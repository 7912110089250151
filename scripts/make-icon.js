// Writes media/icon.png (128x128): the marketplace icon, drawn here so no image tool is needed.
const fs = require('node:fs');
const zlib = require('node:zlib');
const size = 128;
const px = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) {
  px[y * (size * 4 + 1)] = 0;
  for (let x = 0; x < size; x++) {
    const o = y * (size * 4 + 1) + 1 + x * 4;
    const dx = x - 64,
      dy = y - 64;
    const inHex = Math.abs(dx) * 0.866 + Math.abs(dy) * 0.5 < 52 && Math.abs(dy) < 56;
    const layer = Math.floor((y + 10) / 26) % 2;
    const t = y / size;
    const bg = [22, 30, 46];
    const fg = layer ? [255, 153, 0] : [236, 114, 17];
    const c = inHex ? fg.map((v) => Math.round(v * (1 - 0.25 * t))) : bg;
    const cursor = x > 56 && x < 72 && y > 40 && y < 88 && inHex;
    px[o] = cursor ? 255 : c[0];
    px[o + 1] = cursor ? 255 : c[1];
    px[o + 2] = cursor ? 255 : c[2];
    px[o + 3] = 255;
  }
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b) => {
  let c = 0xffffffff;
  for (const v of b) c = crcTable[(c ^ v) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8;
ihdr[9] = 6;
fs.writeFileSync(
  require('node:path').join(__dirname, '..', 'media', 'icon.png'),
  Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(px)),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
