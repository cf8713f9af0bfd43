// camflow's REST API (/api/v1) as the pages use it: every call carries the current access token, every
// answer comes back as {status, body} (body: parsed JSON, or {message} with the text of a non-JSON answer),
// so pages branch on the status instead of catching.

import { accessToken, bearer } from './auth.js';

/** One API call; status 0 when the server could not be reached. */
export async function api(method, path, body) {
  const headers = bearer(await accessToken());
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(`/api/v1/${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { status: 0, body: { message: `the server cannot be reached (${e.message})` } };
  }
  const text = await response.text().catch(() => '');
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { message: text.trim() };
  }
  return { status: response.status, body: parsed };
}

/** A readable reason for a failed call. */
export function failure({ status, body }) {
  const said = body?.message || body?.error || '';
  if (status === 0) {
    return said;
  }
  return said ? `HTTP ${status}: ${said}` : `HTTP ${status}`;
}

const encode = (part) => encodeURIComponent(part);

/**
 * The cameras this user may watch: [{id, streams:[{name, state, width, height, urls}]}] from GET
 * /api/v1/cameras, plus the cameras GET /api/v1/me grants live view of that the list lacks (all of them
 * while the list does not answer 200), their stream assumed to be "main". source: "cameras" or "me".
 * admin: whether /me says admin.
 */
export async function watchableCameras() {
  const [list, me] = await Promise.all([api('GET', 'cameras'), api('GET', 'me')]);
  const admin = me.status === 200 && me.body?.admin === true;
  const listed = list.status === 200 && Array.isArray(list.body) ? list.body.filter((c) => c && c.id) : null;
  if (me.status !== 200) {
    return listed ? { source: 'cameras', admin, cameras: listed }
      : { source: 'none', admin: false, error: failure(me), status: me.status, cameras: [] };
  }
  // cameras the user may watch live that the list does not know (e.g. configured in ingest's YAML file
  // only): shown too, with stream "main"; a camera that is really gone then says so on its tile
  const permitted = Object.entries(me.body.cameras ?? {})
    .filter(([id, actions]) => Array.isArray(actions) && actions.includes('live') && !listed?.some((c) => c.id === id))
    .map(([id]) => ({ id, streams: [{ name: 'main' }], fromPermissions: true }));
  const cameras = [...(listed ?? []), ...permitted].sort((a, b) => a.id.localeCompare(b.id));
  return { source: listed ? 'cameras' : 'me', admin, user: me.body.user, cameras };
}

export const cameraPath = (id) => `cameras/${encode(id)}`;
export const accessPath = (id, action, kind, name) =>
  `cameras/${encode(id)}/access${action ? `/${action}/${kind}/${encode(name)}` : ''}`;
