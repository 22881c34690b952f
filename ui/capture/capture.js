// @ts-check
// The phone's capture page: the clinic's phone opens it by scanning the QR
// code on the computer, takes the capture plan's shots (live camera with
// the earlier photo as a ghost where the browser allows, else the phone's
// camera app or photo library) and sends each photo to the computer.
//
// Served by src-tauri/src/capture/mod.rs with a strict Content-Security-
// Policy: this file is the page's only script, there is no build step and
// nothing is fetched from elsewhere. The page keeps nothing once a photo
// is saved: no storage, no cookies of its own, object URLs revoked.
//
// The pure rules (labels, the upload's URL, which shot comes next, what an
// outcome says) are exported for the tests; `start()` runs only in a
// browser that shows this page.

/** @typedef {{ zone: string, zone_name: string, pose: string, guide: string | null, taken: string[] }} Shot */
/** @typedef {{ client: string, moment: string, kinds: string[], shots: Shot[], conditions: string[] }} Plan */
/** @typedef {{ applied: boolean, confidence: number }} Alignment */
/** @typedef {{ photo: string, duplicate: boolean, alignment: Alignment | null }} Uploaded */
/** @typedef {{ text: string, retake: boolean, tone: 'success' | 'warning' }} Outcome */
/** @typedef {{ zone: string, zoneName: string, items: { shot: Shot, index: number }[] }} ZoneGroup */

/** The largest photo the computer takes (its `MAX_UPLOAD_BYTES`). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

const KIND_LABELS = new Map([
  ['before', 'Before'],
  ['after', 'After'],
  ['progress', 'Progress'],
]);

const POSE_LABELS = new Map([
  ['front', 'Front'],
  ['left_45', 'Left 45°'],
  ['right_45', 'Right 45°'],
  ['left_90', 'Left 90°'],
  ['right_90', 'Right 90°'],
]);

const CONDITION_LABELS = new Map([
  ['makeup_off', 'Make-up off'],
  ['usual_lighting', 'Usual lighting'],
  ['usual_distance', 'Usual distance'],
  ['hair_back', 'Hair held back'],
  ['plain_background', 'Plain background'],
]);

/** "chin_up" → "Chin up": a value this page does not know still reads as words. @param {string} value */
function asWords(value) {
  const text = String(value).replaceAll('_', ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @param {string} kind */
export function kindLabel(kind) {
  return KIND_LABELS.get(kind) ?? asWords(kind);
}

/** @param {string} pose */
export function poseLabel(pose) {
  return POSE_LABELS.get(pose) ?? asWords(pose);
}

/** @param {string} condition */
export function conditionLabel(condition) {
  return CONDITION_LABELS.get(condition) ?? asWords(condition);
}

/** "Cheeks · Left 45°". @param {Shot} shot */
export function shotTitle(shot) {
  return `${shot.zone_name || shot.zone} · ${poseLabel(shot.pose)}`;
}

/** What tells one shot of a plan from another (a zone key never holds a line break). @param {Shot} shot */
export function shotKey(shot) {
  return `${shot.zone}\n${shot.pose}`;
}

/**
 * The shots zone by zone, in the plan's order, each with its place in the plan.
 * @param {readonly Shot[]} shots
 * @returns {ZoneGroup[]}
 */
export function groupShots(shots) {
  /** @type {Map<string, ZoneGroup>} */
  const groups = new Map();
  shots.forEach((shot, index) => {
    let group = groups.get(shot.zone);
    if (!group) {
      group = { zone: shot.zone, zoneName: shot.zone_name || shot.zone, items: [] };
      groups.set(shot.zone, group);
    }
    group.items.push({ shot, index });
  });
  return [...groups.values()];
}

/**
 * The shots taken, by kind: those `done` holds (saved from this page), with
 * those the plan says were taken already at this session or visit (before
 * the page was reloaded, or by another way), so a reloaded page still shows
 * what is done. Nothing is ever unmarked.
 * @param {ReadonlyMap<string, ReadonlySet<string>>} done the keys (`shotKey`) of the shots taken, by kind
 * @param {readonly Shot[]} shots
 * @returns {Map<string, Set<string>>}
 */
export function withTaken(done, shots) {
  /** @type {Map<string, Set<string>>} */
  const merged = new Map();
  for (const [kind, keys] of done) merged.set(kind, new Set(keys));
  for (const shot of shots) {
    for (const kind of shot.taken) {
      let keys = merged.get(kind);
      if (!keys) {
        keys = new Set();
        merged.set(kind, keys);
      }
      keys.add(shotKey(shot));
    }
  }
  return merged;
}

/**
 * The shot to take after `current`: the next one not yet taken, going on from
 * the start at the end of the list; `null` when every shot is taken.
 * @param {readonly Shot[]} shots
 * @param {ReadonlySet<string>} done the keys (`shotKey`) of the shots taken
 * @param {number | null} current the selected shot's index, or null before the first
 * @returns {number | null}
 */
export function nextShot(shots, done, current) {
  const count = shots.length;
  const from = current ?? -1;
  for (let step = 1; step <= count; step += 1) {
    const index = (((from + step) % count) + count) % count;
    if (!done.has(shotKey(shots[index]))) return index;
  }
  return null;
}

/**
 * "3 of 10 taken as Before", or "All 10 taken as After".
 * @param {number} total
 * @param {number} taken
 * @param {string} kind
 */
export function sequenceText(total, taken, kind) {
  const as = `taken as ${kindLabel(kind)}`;
  if (total > 0 && taken >= total) return total === 1 ? `The shot is ${as}` : `All ${total} ${as}`;
  return `${taken} of ${total} ${as}`;
}

/**
 * The upload's address: what the photo is, the conditions it was taken in
 * (in the order given) and the file name the phone gave it.
 * @param {Shot} shot
 * @param {string} kind
 * @param {Iterable<string>} conditions
 * @param {string} name
 */
export function uploadUrl(shot, kind, conditions, name) {
  const query = new URLSearchParams({
    kind,
    zone: shot.zone,
    pose: shot.pose,
    conditions: [...conditions].join(','),
    // The computer keeps 120 characters of it; a longer name only makes the request longer.
    name: Array.from(name).slice(0, 120).join(''),
  });
  return `/upload?${query}`;
}

/** A whole percentage from a 0..1 confidence, kept within 0..100. @param {number} confidence */
function percent(confidence) {
  const value = Number.isFinite(confidence) ? confidence : 0;
  return Math.round(Math.min(1, Math.max(0, value)) * 100);
}

/**
 * What the page says after the computer saved a photo, and whether it offers
 * to take that shot again.
 * @param {Uploaded} uploaded
 * @returns {Outcome}
 */
export function describeOutcome(uploaded) {
  if (uploaded.duplicate) return { text: 'Already saved.', retake: false, tone: 'success' };
  const alignment = uploaded.alignment;
  if (!alignment) return { text: 'Saved.', retake: false, tone: 'success' };
  const confidence = percent(alignment.confidence);
  if (alignment.applied) {
    return {
      text: `Saved. Lines up with the earlier photo (confidence ${confidence}%).`,
      retake: false,
      tone: 'success',
    };
  }
  return {
    text: `Saved. Does not line up with the earlier photo (confidence ${confidence}%). Retake it?`,
    retake: true,
    tone: 'warning',
  };
}

/** The `error` of a JSON `{ error }` body, if that is what `body` is. @param {string} body */
function serverMessage(body) {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.error === 'string' && parsed.error.trim() !== '') return parsed.error.trim();
  } catch {
    // Not JSON (a proxy's page, or the computer's own "not paired" page).
  }
  return null;
}

/**
 * A refused or failed request in words: the computer's own message when it
 * sent one, else what its status means here. Status 0 is a request that got
 * no answer at all.
 * @param {number} status
 * @param {string} body
 */
export function errorText(status, body) {
  const message = serverMessage(body);
  if (message) return message;
  switch (status) {
    case 0:
      return "The computer did not answer. Check that the phone is on the clinic's Wi-Fi and the capture is still open, then try again.";
    case 403:
      return 'This phone is no longer paired, or the practitioner signed out. Scan a new code on the computer.';
    case 404:
      return 'The computer does not know this page. Scan a new code on the computer.';
    case 413:
      return 'The photo is too large for the computer to take.';
    case 429:
      return 'Too many requests at once. Wait a minute, then try again.';
    case 503:
      return 'This capture is closed on the computer. Open a new one there and scan its code.';
    default:
      return `The computer could not take the request (status ${status}). Try again.`;
  }
}

/**
 * Why a photo of `bytes` bytes cannot be sent, or null when it can.
 * @param {number} bytes
 */
export function sizeProblem(bytes) {
  if (bytes <= 0) return 'The photo is empty. Take it again.';
  if (bytes > MAX_UPLOAD_BYTES) {
    const megabytes = Math.ceil(bytes / (1024 * 1024));
    return `The photo is ${megabytes} MB; the computer takes photos of at most 64 MB.`;
  }
  return null;
}

/**
 * How far a transfer is, in whole percent; null when its size is not known.
 * @param {number} loaded
 * @param {number} total
 */
export function progressPercent(loaded, total) {
  if (!(total > 0)) return null;
  return Math.min(100, Math.max(0, Math.floor((loaded / total) * 100)));
}

/** Lower-case letters, digits and `_`, with `-` for anything else. @param {string} text */
function fileWord(text) {
  const word = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return word || 'shot';
}

/**
 * The file name of a photo taken with the live camera, from the phone's clock:
 * `capture-cheeks-left_45-20261207-143005.jpg`.
 * @param {Shot} shot
 * @param {Date} date
 */
export function captureName(shot, date) {
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  const time = `${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
  return `capture-${fileWord(shot.zone)}-${fileWord(shot.pose)}-${day}-${time}.jpg`;
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {unknown} value @returns {value is string} */
function isText(value) {
  return typeof value === 'string' && value !== '';
}

/**
 * The plan as sent by the computer, checked: shots without a zone or pose are
 * left out, and a guide is kept only when it is one of the computer's guide
 * addresses. Throws when there is nothing to take.
 * @param {unknown} value
 * @returns {Plan}
 */
export function readPlan(value) {
  const unreadable = new Error('The computer sent a capture plan this page cannot read. Reload the page.');
  if (!isRecord(value) || !Array.isArray(value.kinds) || !Array.isArray(value.shots)) throw unreadable;
  const kinds = value.kinds.filter(isText);
  if (kinds.length === 0) throw unreadable;
  /** @type {Shot[]} */
  const shots = [];
  for (const shot of value.shots) {
    if (!isRecord(shot) || !isText(shot.zone) || !isText(shot.pose)) continue;
    const guide = shot.guide;
    shots.push({
      zone: shot.zone,
      zone_name: isText(shot.zone_name) ? shot.zone_name : shot.zone,
      pose: shot.pose,
      guide: isText(guide) && guide.startsWith('/guide/') ? guide : null,
      taken: Array.isArray(shot.taken) ? shot.taken.filter(isText) : [],
    });
  }
  return {
    client: typeof value.client === 'string' ? value.client : '',
    moment: typeof value.moment === 'string' ? value.moment : '',
    kinds,
    shots,
    conditions: Array.isArray(value.conditions) ? value.conditions.filter(isText) : [],
  };
}

/**
 * The kind to keep selected when the plan changes: the one chosen, while the
 * plan still offers it, else the usual one (the plan's first).
 * @param {readonly string[]} kinds
 * @param {string | null} chosen
 */
export function keepKind(kinds, chosen) {
  return chosen !== null && kinds.includes(chosen) ? chosen : kinds[0];
}

/**
 * Why the camera did not open, from the error's name, and what to do instead.
 * @param {string} name a DOMException's name
 */
export function cameraProblem(name) {
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return "The camera was not allowed. Allow it for this page in the browser's settings, or take the photo with the camera app.";
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found for this page. Take the photo with the camera app.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is busy (another app may be using it). Close that app and try again, or take the photo with the camera app.';
    default:
      return 'The camera could not be opened. Take the photo with the camera app.';
  }
}

/**
 * A hint when the earlier photo and the camera are held differently (one
 * upright, the other sideways): the ghost cannot match until the phone turns.
 * @param {{ width: number, height: number }} guide
 * @param {{ width: number, height: number }} camera
 */
export function orientationHint(guide, camera) {
  /** 'upright', 'sideways', or null for a square or unknown frame. */
  const held = (/** @type {{ width: number, height: number }} */ size) => {
    if (!(size.width > 0 && size.height > 0)) return null;
    if (size.height > size.width * 1.05) return 'upright';
    if (size.width > size.height * 1.05) return 'sideways';
    return null;
  };
  const was = held(guide);
  const is = held(camera);
  if (was === null || is === null || was === is) return null;
  return was === 'sideways'
    ? 'The earlier photo was taken with the phone sideways: turn it to match.'
    : 'The earlier photo was taken with the phone upright: turn it to match.';
}

// ---------------------------------------------------------------------------
// The page in the browser.

/**
 * @typedef {object} Sending
 * @property {Blob} blob
 * @property {Shot} shot
 * @property {string} kind
 * @property {string[]} conditions
 * @property {string} name
 */

/**
 * @typedef {object} Page
 * @property {ReturnType<typeof elements>} ui
 * @property {Plan | null} plan
 * @property {string | null} kind
 * @property {number | null} current
 * @property {Map<string, Set<string>>} done the shots taken, by kind
 * @property {Set<string>} ticked the conditions ticked
 * @property {Sending | null} pending the photo being sent, or that failed to send
 * @property {{ kind: string, key: string } | null} retake the shot the outcome offers to retake
 * @property {boolean} busy
 * @property {'starting' | 'live' | 'paused' | 'fallback'} mode
 * @property {boolean} cameraWanted
 * @property {MediaStream | null} stream
 * @property {number} cameraRun counts the camera's starts, so a late one can tell it is stale
 * @property {boolean} ghostHidden
 */

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the capture page has no #${id}`);
  return element;
}

function elements() {
  return {
    app: byId('capture-app', HTMLElement),
    loading: byId('loading', HTMLElement),
    client: byId('client', HTMLElement),
    moment: byId('moment', HTMLElement),
    kinds: byId('kinds', HTMLFieldSetElement),
    kindOptions: byId('kind-options', HTMLElement),
    planProblem: byId('plan-problem', HTMLElement),
    planProblemText: byId('plan-problem-text', HTMLElement),
    planRetry: byId('plan-retry', HTMLButtonElement),
    capture: byId('capture', HTMLElement),
    shotTitle: byId('shot-title', HTMLElement),
    shotCount: byId('shot-count', HTMLElement),
    stage: byId('stage', HTMLElement),
    frame: byId('frame', HTMLElement),
    video: byId('video', HTMLVideoElement),
    ghost: byId('ghost', HTMLImageElement),
    flash: byId('flash', HTMLElement),
    cameraNote: byId('camera-note', HTMLElement),
    cameraNoteText: byId('camera-note-text', HTMLElement),
    cameraStart: byId('camera-start', HTMLButtonElement),
    guideHint: byId('guide-hint', HTMLElement),
    ghostControls: byId('ghost-controls', HTMLElement),
    ghostOpacity: byId('ghost-opacity', HTMLInputElement),
    ghostValue: byId('ghost-value', HTMLOutputElement),
    ghostToggle: byId('ghost-toggle', HTMLButtonElement),
    still: byId('guide-still', HTMLElement),
    stillImage: byId('guide-still-image', HTMLImageElement),
    shutter: byId('shutter', HTMLButtonElement),
    openCameraApp: byId('open-camera-app', HTMLButtonElement),
    openLibrary: byId('open-library', HTMLButtonElement),
    cameraAppInput: byId('camera-app-input', HTMLInputElement),
    libraryInput: byId('library-input', HTMLInputElement),
    progress: byId('progress', HTMLElement),
    progressFill: byId('progress-fill', HTMLElement),
    outcome: byId('outcome', HTMLElement),
    outcomeText: byId('outcome-text', HTMLElement),
    retake: byId('retake', HTMLButtonElement),
    resend: byId('resend', HTMLButtonElement),
    discard: byId('discard', HTMLButtonElement),
    conditions: byId('conditions', HTMLElement),
    conditionList: byId('condition-list', HTMLElement),
    sequence: byId('sequence', HTMLElement),
    sequenceProgress: byId('sequence-progress', HTMLElement),
    shotList: byId('shot-list', HTMLElement),
  };
}

/** Whether this browser lets the page show the camera itself. */
function cameraPossible() {
  return window.isSecureContext && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

function start() {
  /** @type {Page} */
  const page = {
    ui: elements(),
    plan: null,
    kind: null,
    current: null,
    done: new Map(),
    ticked: new Set(),
    pending: null,
    retake: null,
    busy: false,
    mode: 'fallback',
    cameraWanted: cameraPossible(),
    stream: null,
    cameraRun: 0,
    ghostHidden: false,
  };
  listen(page);
  void loadPlan(page, true);
  if (page.cameraWanted) void startCamera(page);
  else showFallback(page, 'This browser does not let the page use the camera. Take each photo with the camera app: it is sent as soon as you use it.');
}

/** The shots taken as `kind`. @param {Page} page @param {string} kind */
function doneFor(page, kind) {
  let done = page.done.get(kind);
  if (!done) {
    done = new Set();
    page.done.set(kind, done);
  }
  return done;
}

/** @param {Page} page @returns {Shot | null} */
function currentShot(page) {
  if (!page.plan || page.current === null) return null;
  return page.plan.shots[page.current] ?? null;
}

// -- The plan ---------------------------------------------------------------

/**
 * Reads the plan: on the first load a failure takes the page's place; later
 * (after an upload, to pick up new guides) the page keeps the plan it has.
 * @param {Page} page
 * @param {boolean} first
 */
async function loadPlan(page, first) {
  const { ui } = page;
  if (first) {
    ui.planProblem.hidden = true;
    ui.loading.hidden = false;
  }
  try {
    /** @type {Response} */
    let response;
    /** @type {string} */
    let body;
    try {
      response = await fetch('/plan', { credentials: 'same-origin', cache: 'no-store' });
      body = await response.text();
    } catch {
      throw new Error(errorText(0, ''));
    }
    if (!response.ok) throw new Error(errorText(response.status, body));
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = null;
    }
    applyPlan(page, readPlan(parsed));
  } catch (error) {
    if (!first) return;
    ui.loading.hidden = true;
    ui.planProblemText.textContent = messageOf(error);
    ui.planProblem.hidden = false;
    ui.client.textContent = 'Photo capture';
  }
}

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {Page} page @param {Plan} plan */
function applyPlan(page, plan) {
  const { ui } = page;
  const selected = currentShot(page);
  page.plan = plan;
  page.kind = keepKind(plan.kinds, page.kind);
  page.done = withTaken(page.done, plan.shots);
  // The shot selected stays selected while the plan still has it.
  const kept = selected ? plan.shots.findIndex((shot) => shotKey(shot) === shotKey(selected)) : -1;
  page.current =
    kept >= 0 ? kept : (nextShot(plan.shots, doneFor(page, page.kind), null) ?? (plan.shots.length > 0 ? 0 : null));
  ui.client.textContent = plan.client || 'Photo capture';
  ui.moment.textContent = plan.moment;
  ui.loading.hidden = true;
  ui.planProblem.hidden = true;
  renderKinds(page);
  renderConditions(page);
  ui.sequence.hidden = plan.shots.length === 0;
  if (plan.shots.length === 0) {
    ui.capture.hidden = true;
    ui.planProblemText.textContent = 'This capture has no shots to take. Check the zones on the computer.';
    ui.planProblem.hidden = false;
  } else {
    ui.capture.hidden = false;
  }
  ui.app.removeAttribute('aria-busy');
  renderShots(page);
  renderCurrent(page);
}

/** The kind choice: one radio a kind, rebuilt only when the kinds change. @param {Page} page */
function renderKinds(page) {
  const { ui, plan } = page;
  if (!plan) return;
  const signature = plan.kinds.join(',');
  if (ui.kindOptions.dataset.kinds !== signature) {
    ui.kindOptions.dataset.kinds = signature;
    ui.kindOptions.replaceChildren(
      ...plan.kinds.map((kind) => {
        const label = document.createElement('label');
        label.className = 'segment';
        const input = document.createElement('input');
        input.type = 'radio';
        input.name = 'kind';
        input.value = kind;
        input.className = 'visually-hidden';
        const text = document.createElement('span');
        text.textContent = kindLabel(kind);
        label.append(input, text);
        return label;
      }),
    );
  }
  for (const input of ui.kindOptions.querySelectorAll('input')) input.checked = input.value === page.kind;
  ui.kinds.hidden = false;
}

/** The condition boxes, ticked as they were. @param {Page} page */
function renderConditions(page) {
  const { ui, plan } = page;
  if (!plan) return;
  const signature = plan.conditions.join(',');
  if (ui.conditionList.dataset.conditions !== signature) {
    ui.conditionList.dataset.conditions = signature;
    ui.conditionList.replaceChildren(
      ...plan.conditions.map((condition) => {
        const label = document.createElement('label');
        label.className = 'condition';
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = condition;
        const text = document.createElement('span');
        text.textContent = conditionLabel(condition);
        label.append(box, text);
        return label;
      }),
    );
  }
  for (const box of ui.conditionList.querySelectorAll('input')) box.checked = page.ticked.has(box.value);
  ui.conditions.hidden = plan.conditions.length === 0;
}

/** The shot sequence, zone by zone. @param {Page} page */
function renderShots(page) {
  const { ui, plan } = page;
  if (!plan || page.kind === null) return;
  const done = doneFor(page, page.kind);
  const hadFocus = ui.shotList.contains(document.activeElement)
    ? /** @type {HTMLElement} */ (document.activeElement).dataset.index
    : undefined;
  ui.shotList.replaceChildren(
    ...groupShots(plan.shots).map((group) => {
      const item = document.createElement('li');
      item.className = 'zone';
      const heading = document.createElement('h3');
      heading.textContent = group.zoneName;
      const poses = document.createElement('ul');
      poses.className = 'poses';
      poses.setAttribute('aria-label', group.zoneName);
      for (const { shot, index } of group.items) {
        const pose = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'shot';
        button.dataset.index = String(index);
        const label = document.createElement('span');
        label.textContent = poseLabel(shot.pose);
        button.append(label);
        if (done.has(shotKey(shot))) {
          button.dataset.done = '';
          const taken = document.createElement('span');
          taken.className = 'visually-hidden';
          taken.textContent = ', taken';
          button.append(taken);
        }
        if (index === page.current) button.setAttribute('aria-current', 'step');
        pose.append(button);
        poses.append(pose);
      }
      item.append(heading, poses);
      return item;
    }),
  );
  if (hadFocus !== undefined) {
    const again = ui.shotList.querySelector(`button[data-index="${hadFocus}"]`);
    if (again instanceof HTMLButtonElement) again.focus();
  }
  ui.sequenceProgress.textContent = sequenceText(plan.shots.length, plan.shots.filter((s) => done.has(shotKey(s))).length, page.kind);
}

/** The selected shot: its title, and its guide as a ghost (live camera) or a still (camera app). @param {Page} page */
function renderCurrent(page) {
  const { ui, plan } = page;
  const shot = currentShot(page);
  if (!plan || !shot || page.kind === null) return;
  ui.shotTitle.textContent = shotTitle(shot);
  const taken = doneFor(page, page.kind).has(shotKey(shot));
  ui.shotCount.textContent = `Shot ${(page.current ?? 0) + 1} of ${plan.shots.length}${taken ? ' · taken already' : ''}`;
  const live = page.mode === 'live' || page.mode === 'starting';
  showImage(ui.ghost, live ? shot.guide : null);
  showImage(ui.stillImage, live ? null : shot.guide);
  ui.still.hidden = live || !shot.guide;
  ui.stage.classList.toggle('has-still', !live && Boolean(shot.guide));
  ui.ghostControls.hidden = !live || !shot.guide;
  ui.frame.classList.toggle('with-grid', !shot.guide);
  ui.guideHint.textContent = shot.guide ? '' : 'No earlier photo of this shot to match: frame it as usual.';
  ui.guideHint.hidden = Boolean(shot.guide);
  applyGhost(page);
  renderOrientation(page);
  renderBusy(page);
}

/**
 * Points `image` at `src`, or empties it; a new address hides it until it
 * loads, so the previous shot's guide never shows under this one's title.
 * @param {HTMLImageElement} image
 * @param {string | null} src
 */
function showImage(image, src) {
  if (src === null) {
    image.removeAttribute('src');
    image.hidden = true;
    return;
  }
  if (image.getAttribute('src') !== src) {
    image.hidden = true;
    image.src = src;
  }
}

/** @param {Page} page */
function applyGhost(page) {
  const { ui } = page;
  const value = Number(ui.ghostOpacity.value);
  ui.ghostValue.value = `${value}%`;
  ui.ghost.style.opacity = page.ghostHidden ? '0' : String(value / 100);
  ui.ghostToggle.setAttribute('aria-pressed', String(page.ghostHidden));
  ui.ghostOpacity.disabled = page.ghostHidden;
}

/** Under the live camera: whether the ghost could not be shown, or the phone should turn to match it. @param {Page} page */
function renderOrientation(page) {
  const { ui } = page;
  const shot = currentShot(page);
  if (!shot?.guide || page.mode !== 'live') return;
  const broken = ui.ghost.getAttribute('src') === shot.guide && ui.ghost.complete && ui.ghost.naturalWidth === 0;
  let hint = null;
  if (broken) hint = 'The earlier photo of this shot could not be shown.';
  else if (!ui.ghost.hidden) {
    const camera = { width: ui.video.videoWidth, height: ui.video.videoHeight };
    hint = orientationHint({ width: ui.ghost.naturalWidth, height: ui.ghost.naturalHeight }, camera);
  }
  ui.ghostControls.hidden = broken;
  ui.guideHint.textContent = hint ?? '';
  ui.guideHint.hidden = hint === null;
}

/** @param {Page} page */
function renderBusy(page) {
  const { ui } = page;
  const noShot = currentShot(page) === null;
  ui.shutter.disabled = noShot || page.mode !== 'live';
  ui.openCameraApp.disabled = noShot;
  ui.openLibrary.disabled = noShot;
  // While a photo is sent the buttons refuse, but keep their focus.
  for (const button of [ui.shutter, ui.openCameraApp, ui.openLibrary]) {
    button.setAttribute('aria-disabled', String(page.busy));
  }
  ui.capture.setAttribute('aria-busy', String(page.busy));
}

/** @param {Page} page @param {number} index */
function selectShot(page, index) {
  page.current = index;
  renderShots(page);
  renderCurrent(page);
}

// -- The camera -------------------------------------------------------------

/** @param {Page} page @param {Page['mode']} mode */
function setMode(page, mode) {
  page.mode = mode;
  page.ui.stage.dataset.mode = mode;
  page.ui.frame.hidden = mode !== 'live' && mode !== 'starting';
  renderCurrent(page);
  renderBusy(page);
}

/** @param {Page} page */
async function startCamera(page) {
  if (page.stream || document.hidden) return;
  page.cameraWanted = true;
  const run = ++page.cameraRun;
  page.ui.cameraNote.hidden = true;
  setMode(page, 'starting');
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        facingMode: { ideal: 'environment' },
        width: { ideal: 1920 },
        height: { ideal: 1440 },
      },
    });
    if (run !== page.cameraRun || document.hidden || !page.cameraWanted) {
      stopTracks(stream);
      return;
    }
    page.stream = stream;
    for (const track of stream.getVideoTracks()) {
      track.addEventListener('ended', () => {
        if (page.stream !== stream) return;
        stopCamera(page);
        if (page.cameraWanted) pauseCamera(page, 'The camera stopped.');
      });
    }
    page.ui.video.srcObject = stream;
    await page.ui.video.play().catch(() => undefined);
    setMode(page, 'live');
  } catch (error) {
    if (run !== page.cameraRun) return;
    page.cameraWanted = false;
    const name = error instanceof Error ? error.name : '';
    showFallback(page, cameraProblem(name), name === 'NotReadableError' || name === 'AbortError' || name === 'NotAllowedError');
  }
}

/** Stops the camera's tracks (the page hides, or the camera app takes over); `cameraWanted` stays. @param {Page} page */
function stopCamera(page) {
  page.cameraRun += 1;
  if (page.stream) stopTracks(page.stream);
  page.stream = null;
  page.ui.video.srcObject = null;
}

/** @param {MediaStream} stream */
function stopTracks(stream) {
  for (const track of stream.getTracks()) track.stop();
}

/** Starts the camera again when it is wanted, stopped and the page shows. @param {Page} page */
function resumeCamera(page) {
  if (page.cameraWanted && !page.stream && !document.hidden) void startCamera(page);
}

/** @param {Page} page @param {string} text */
function pauseCamera(page, text) {
  setMode(page, 'paused');
  page.ui.cameraNoteText.textContent = text;
  page.ui.cameraStart.textContent = 'Start the camera';
  page.ui.cameraStart.hidden = false;
  page.ui.cameraNote.hidden = false;
}

/**
 * The camera app and the photo library in place of the live camera.
 * @param {Page} page
 * @param {string} text why
 * @param {boolean} [canRetry] whether trying the camera again may help
 */
function showFallback(page, text, canRetry = false) {
  setMode(page, 'fallback');
  page.ui.cameraNoteText.textContent = text;
  page.ui.cameraStart.textContent = 'Try the camera again';
  page.ui.cameraStart.hidden = !(canRetry && cameraPossible());
  page.ui.cameraNote.hidden = false;
}

/** The frame takes the camera's shape, so the ghost covers exactly what the photo will hold. @param {Page} page */
function fitFrame(page) {
  const { video, frame } = page.ui;
  if (video.videoWidth > 0 && video.videoHeight > 0) {
    frame.style.setProperty('--ratio', String(video.videoWidth / video.videoHeight));
  }
  renderOrientation(page);
}

/** Takes the video's current frame, at its full size, as a JPEG and sends it. @param {Page} page */
async function takePhoto(page) {
  const { video } = page.ui;
  const shot = currentShot(page);
  if (!shot || page.busy || page.kind === null) return;
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (!(width > 0 && height > 0)) {
    showOutcome(page, 'The camera is not ready yet. Wait a moment, then try again.', 'error');
    return;
  }
  page.busy = true;
  renderBusy(page);
  flash(page);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  /** @type {Blob | null} */
  let blob = null;
  const context = canvas.getContext('2d');
  if (context) {
    context.drawImage(video, 0, 0, width, height);
    blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
  }
  // Phones bound the memory of all canvases together: give this one's back now.
  canvas.width = 0;
  canvas.height = 0;
  page.busy = false;
  if (!blob) {
    renderBusy(page);
    showOutcome(page, 'The photo could not be made from the camera. Try again, or use the camera app.', 'error');
    return;
  }
  send(page, {
    blob,
    shot,
    kind: page.kind,
    conditions: tickedConditions(page),
    name: captureName(shot, new Date()),
  });
}

/** @param {Page} page */
function flash(page) {
  const { flash } = page.ui;
  flash.classList.remove('flashing');
  // Reading the layout restarts the animation when the shutter is pressed again quickly.
  void flash.offsetWidth;
  flash.classList.add('flashing');
}

/** @param {Page} page */
function tickedConditions(page) {
  return (page.plan?.conditions ?? []).filter((condition) => page.ticked.has(condition));
}

/**
 * A photo chosen in the camera app or the library, sent as it is with its own name.
 * @param {Page} page
 * @param {HTMLInputElement} input
 */
function sendChosen(page, input) {
  const file = input.files?.[0];
  // The input forgets the file; the page holds it only until it is saved.
  input.value = '';
  const shot = currentShot(page);
  if (!file || !shot || page.kind === null || page.busy) return;
  send(page, { blob: file, shot, kind: page.kind, conditions: tickedConditions(page), name: file.name });
}

// -- Sending ----------------------------------------------------------------

/** @param {Page} page @param {Sending} sending */
function send(page, sending) {
  const { ui } = page;
  page.pending = sending;
  page.retake = null;
  const problem = sizeProblem(sending.blob.size);
  if (problem) {
    page.pending = null;
    showOutcome(page, problem, 'error');
    return;
  }
  page.busy = true;
  renderBusy(page);
  showOutcome(page, `Sending ${shotTitle(sending.shot)}…`, 'progress');
  showProgress(page, null);
  const request = new XMLHttpRequest();
  request.open('POST', uploadUrl(sending.shot, sending.kind, sending.conditions, sending.name));
  request.timeout = 5 * 60 * 1000;
  request.upload.addEventListener('progress', (event) => {
    showProgress(page, event.lengthComputable ? progressPercent(event.loaded, event.total) : null);
  });
  // The photo has arrived; the computer now checks, stores and aligns it.
  request.upload.addEventListener('load', () => {
    showProgress(page, null);
    showOutcome(page, `Saving ${shotTitle(sending.shot)} on the computer…`, 'progress');
  });
  const failed = (/** @type {string} */ text) => {
    page.busy = false;
    ui.progress.hidden = true;
    renderBusy(page);
    showOutcome(page, text, 'error');
  };
  request.addEventListener('load', () => {
    if (request.status !== 200) {
      failed(errorText(request.status, request.responseText));
      return;
    }
    /** @type {unknown} */
    let uploaded;
    try {
      uploaded = JSON.parse(request.responseText);
    } catch {
      uploaded = null;
    }
    if (!isRecord(uploaded) || typeof uploaded.photo !== 'string') {
      failed('The computer answered, but not as expected. Check on the computer whether the photo arrived.');
      return;
    }
    saved(page, sending, /** @type {Uploaded} */ (/** @type {unknown} */ (uploaded)));
  });
  request.addEventListener('error', () => failed(errorText(0, '')));
  request.addEventListener('timeout', () => failed(errorText(0, '')));
  request.send(sending.blob);
}

/**
 * The computer has the photo: the shot is ticked, the next one selected, the
 * photo forgotten, and the plan read again (a new "before" guides the "after").
 * @param {Page} page
 * @param {Sending} sending
 * @param {Uploaded} uploaded
 */
function saved(page, sending, uploaded) {
  const { ui } = page;
  page.busy = false;
  page.pending = null;
  ui.progress.hidden = true;
  const key = shotKey(sending.shot);
  doneFor(page, sending.kind).add(key);
  const outcome = describeOutcome(uploaded);
  page.retake = outcome.retake ? { kind: sending.kind, key } : null;
  const plan = page.plan;
  const selected = currentShot(page);
  if (plan && sending.kind === page.kind && selected && shotKey(selected) === key) {
    page.current = nextShot(plan.shots, doneFor(page, sending.kind), page.current) ?? page.current;
  }
  renderShots(page);
  renderCurrent(page);
  showOutcome(page, outcome.text, outcome.tone);
  void loadPlan(page, false);
}

/** @param {Page} page @param {number | null} value */
function showProgress(page, value) {
  const { progress, progressFill } = page.ui;
  progress.hidden = false;
  progress.classList.toggle('indeterminate', value === null);
  if (value === null) {
    progress.removeAttribute('aria-valuenow');
    progressFill.style.transform = '';
  } else {
    progress.setAttribute('aria-valuenow', String(value));
    progressFill.style.transform = `scaleX(${value / 100})`;
  }
}

/**
 * @param {Page} page
 * @param {string} text
 * @param {'success' | 'warning' | 'error' | 'progress'} tone
 */
function showOutcome(page, text, tone) {
  const { ui } = page;
  ui.outcome.dataset.tone = tone;
  ui.outcomeText.textContent = text;
  ui.retake.hidden = page.retake === null;
  const failedSend = tone === 'error' && page.pending !== null;
  ui.resend.hidden = !failedSend;
  ui.discard.hidden = !failedSend;
}

/** @param {Page} page */
function clearOutcome(page) {
  // The outcome stays in the page, empty, so the next one is announced.
  delete page.ui.outcome.dataset.tone;
  page.ui.outcomeText.textContent = '';
  page.ui.retake.hidden = true;
  page.ui.resend.hidden = true;
  page.ui.discard.hidden = true;
}

/** The primary way to take a photo now: the shutter, or the camera app. @param {Page} page */
function focusTaking(page) {
  (page.mode === 'live' ? page.ui.shutter : page.ui.openCameraApp).focus();
}

// -- Events -----------------------------------------------------------------

/** @param {Page} page */
function listen(page) {
  const { ui } = page;
  ui.planRetry.addEventListener('click', () => void loadPlan(page, true));

  ui.kindOptions.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !page.plan) return;
    page.kind = input.value;
    page.current = nextShot(page.plan.shots, doneFor(page, page.kind), null) ?? 0;
    renderShots(page);
    renderCurrent(page);
  });

  ui.conditionList.addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement)) return;
    if (box.checked) page.ticked.add(box.value);
    else page.ticked.delete(box.value);
  });

  ui.shotList.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-index]') : null;
    if (!(button instanceof HTMLButtonElement)) return;
    selectShot(page, Number(button.dataset.index));
  });

  ui.ghostOpacity.addEventListener('input', () => applyGhost(page));
  ui.ghostToggle.addEventListener('click', () => {
    page.ghostHidden = !page.ghostHidden;
    applyGhost(page);
  });
  ui.ghost.addEventListener('load', () => {
    ui.ghost.hidden = false;
    renderOrientation(page);
  });
  ui.ghost.addEventListener('error', () => {
    ui.ghost.hidden = true;
    renderOrientation(page);
  });
  ui.stillImage.addEventListener('load', () => {
    ui.stillImage.hidden = false;
  });
  ui.stillImage.addEventListener('error', () => {
    ui.still.hidden = true;
    ui.stage.classList.remove('has-still');
  });

  ui.video.addEventListener('loadedmetadata', () => fitFrame(page));
  ui.video.addEventListener('resize', () => fitFrame(page));
  ui.flash.addEventListener('animationend', () => ui.flash.classList.remove('flashing'));
  ui.shutter.addEventListener('click', () => void takePhoto(page));
  ui.cameraStart.addEventListener('click', () => {
    page.cameraWanted = true;
    void startCamera(page);
  });

  ui.openCameraApp.addEventListener('click', () => {
    if (page.busy) return;
    // The camera app needs the camera this page holds; it comes back after.
    stopCamera(page);
    ui.cameraAppInput.click();
  });
  ui.openLibrary.addEventListener('click', () => {
    if (!page.busy) ui.libraryInput.click();
  });
  for (const input of [ui.cameraAppInput, ui.libraryInput]) {
    input.addEventListener('change', () => {
      sendChosen(page, input);
      resumeCamera(page);
    });
    input.addEventListener('cancel', () => resumeCamera(page));
  }
  window.addEventListener('focus', () => resumeCamera(page));
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) stopCamera(page);
    else resumeCamera(page);
  });
  window.addEventListener('pagehide', () => stopCamera(page));

  ui.retake.addEventListener('click', () => {
    const retake = page.retake;
    if (!retake || !page.plan) return;
    page.retake = null;
    page.kind = keepKind(page.plan.kinds, retake.kind);
    const index = page.plan.shots.findIndex((shot) => shotKey(shot) === retake.key);
    clearOutcome(page);
    renderKinds(page);
    selectShot(page, index >= 0 ? index : (page.current ?? 0));
    focusTaking(page);
  });
  ui.resend.addEventListener('click', () => {
    if (page.pending && !page.busy) send(page, page.pending);
  });
  ui.discard.addEventListener('click', () => {
    page.pending = null;
    clearOutcome(page);
    focusTaking(page);
  });
}

if (typeof document !== 'undefined' && document.getElementById('capture-app')) start();
