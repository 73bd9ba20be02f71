import { request } from 'node:http';
import type { Readable } from 'node:stream';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request on loopback; `body` may be bytes or a stream (sent with its Content-Length). */
export function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Uint8Array | Readable,
): Promise<HttpResult> {
  return new Promise((done, fail) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', fail);
    });
    req.on('error', fail);
    if (body === undefined) req.end();
    else if (body instanceof Uint8Array) req.end(body);
    else {
      // A broken source breaks the request, as a dropped connection would.
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    }
  });
}

/** A minimal tus 1.0 client (what tus-js-client does), for tests and the bench. */
export function tusClient(baseUrl: string, cookie: string) {
  const common = { 'tus-resumable': '1.0.0', 'x-zegel-csrf': '1', cookie };
  const b64 = (value: string) => Buffer.from(value).toString('base64');
  return {
    create(id: string, length: number, messageId?: string) {
      const metadata = [`id ${b64(id)}`, ...(messageId ? [`messageId ${b64(messageId)}`] : [])].join(',');
      return send(`${baseUrl}/api/files/uploads`, 'POST', {
        ...common,
        'upload-length': String(length),
        'upload-metadata': metadata,
      });
    },
    head(id: string) {
      return send(`${baseUrl}/api/files/uploads/${id}`, 'HEAD', common);
    },
    patch(id: string, offset: number, body: Uint8Array | Readable, length?: number, contentType?: string) {
      const size = body instanceof Uint8Array ? body.length : length;
      return send(
        `${baseUrl}/api/files/uploads/${id}`,
        'PATCH',
        {
          ...common,
          'content-type': contentType ?? 'application/offset+octet-stream',
          'upload-offset': String(offset),
          ...(size === undefined ? {} : { 'content-length': String(size) }),
        },
        body,
      );
    },
    delete(id: string) {
      return send(`${baseUrl}/api/files/uploads/${id}`, 'DELETE', common);
    },
    download(id: string, range?: string) {
      return send(`${baseUrl}/api/files/${id}`, 'GET', { cookie, ...(range ? { range } : {}) });
    },
    /** Uploads `bytes` in PATCHes of `chunk` bytes. */
    async upload(id: string, bytes: Uint8Array, chunk = 1024 * 1024, messageId?: string) {
      const created = await this.create(id, bytes.length, messageId);
      if (created.status !== 201) return created;
      let offset = 0;
      let last = created;
      do {
        last = await this.patch(id, offset, bytes.subarray(offset, offset + chunk));
        if (last.status !== 204) return last;
        offset = Number(last.headers['upload-offset']);
      } while (offset < bytes.length);
      return last;
    },
  };
}

/** The Cookie header of a test browser. */
export function cookieOf(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
