// A multipart upload that reports its progress (fetch cannot), its refusals as the API client's
// ApiError: evidence files from the desk, order exports and SKU lists.
import { ApiError } from '../api';

/** Sends a multipart form with upload progress (fetch cannot report it); errors as the API client's. */
export function sendWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1${path}`);
    request.setRequestHeader('accept', 'application/json');
    request.withCredentials = true;
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    // The server may refuse a too-large file before reading it and close the connection: the browser
    // then sees no answer at all.
    request.onerror = () => reject(new ApiError(0, 'UPLOAD_CUT', ''));
    request.onload = () => {
      let json: ({ code?: string; message?: string } & Record<string, unknown>) | undefined;
      try {
        json = JSON.parse(request.responseText);
      } catch {
        json = undefined;
      }
      if (request.status >= 200 && request.status < 300) resolve(json as T);
      else reject(new ApiError(request.status, json?.code ?? `HTTP_${request.status}`, json?.message ?? request.statusText, json));
    };
    request.send(form);
  });
}
