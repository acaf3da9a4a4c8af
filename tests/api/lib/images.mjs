// SPDX-License-Identifier: Apache-2.0
// Test photos made in code: a small real JPEG (16x12, made with libjpeg-turbo) and the
// same with an EXIF block holding a GPS position and a camera serial, built byte by byte.

const JPEG_16x12 = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAMABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCo9tbhN0UdmgUEtuk3k/QDH9abE8P923/78SVNFJL/AM9P/Iaf4VKIDLIXaeYE/wB19o/IcV9VqtJDj7OTUqSV/NW/J/of/9k=';

/**
 * The small JPEG; a variant above 0 changes the last entry of its first quantization
 * table, giving a different but equally valid photo (tests that need two photos).
 */
export function tinyJpeg(variant = 0) {
  const b = Buffer.from(JPEG_16x12, 'base64');
  if (variant) b[b.indexOf(Buffer.from([0xff, 0xdb])) + 4 + 64] = 1 + (variant % 200);
  return b;
}

function entry(tag, type, count, value) {
  const b = Buffer.alloc(12);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(type, 2);
  b.writeUInt32LE(count, 4);
  if (Buffer.isBuffer(value)) value.copy(b, 8);
  else b.writeUInt32LE(value, 8);
  return b;
}

function dms(v) {
  const b = Buffer.alloc(24);
  const deg = Math.floor(v), min = Math.floor((v - deg) * 60);
  const sec = Math.round(((v - deg) * 60 - min) * 60 * 1000);
  [[deg, 1], [min, 1], [sec, 1000]].forEach(([n, d], i) => { b.writeUInt32LE(n, i * 8); b.writeUInt32LE(d, i * 8 + 4); });
  return b;
}

/** The JPEG with EXIF (little-endian TIFF): Make = a camera serial, GPS = (lon, lat). */
export function jpegWithGps(lon, lat, serial = 'SerialCam SN-0042-SECRET') {
  const make = Buffer.from(serial + '\0', 'latin1');
  const ifd0At = 8, ifd0Size = 2 + 2 * 12 + 4;
  const makeAt = ifd0At + ifd0Size;
  const gpsAt = makeAt + make.length + (make.length % 2);
  const gpsSize = 2 + 4 * 12 + 4;
  const latAt = gpsAt + gpsSize, lonAt = latAt + 24;
  const tiff = Buffer.concat([
    Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]),
    Buffer.from([2, 0]),
    entry(0x010f, 2, make.length, makeAt),
    entry(0x8825, 4, 1, gpsAt),
    Buffer.alloc(4),
    make, Buffer.alloc(make.length % 2),
    Buffer.from([4, 0]),
    entry(0x0001, 2, 2, Buffer.from(lat >= 0 ? 'N\0' : 'S\0')),
    entry(0x0002, 5, 3, latAt),
    entry(0x0003, 2, 2, Buffer.from(lon >= 0 ? 'E\0' : 'W\0')),
    entry(0x0004, 5, 3, lonAt),
    Buffer.alloc(4),
    dms(Math.abs(lat)), dms(Math.abs(lon)),
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  const jpeg = tinyJpeg();
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}
