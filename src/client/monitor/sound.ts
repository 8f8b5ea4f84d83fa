/**
 * The new-request chime, made with WebAudio (two short sine tones), so there is
 * no sound file to download. Browsers allow audio only after the person has
 * interacted with the page: `unlockSound` runs on the first key press or click.
 */
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

/** Lets later chimes play (call from a user gesture). */
export function unlockSound(): void {
  try {
    const ctx = audio();
    if (ctx?.state === "suspended") void ctx.resume();
  } catch {
    // No audio on this device: the title and the list still tell.
  }
}

/** Plays the chime once; silently does nothing where audio is unavailable or not yet allowed. */
export function playChime(): void {
  try {
    const ctx = audio();
    if (!ctx || ctx.state !== "running") return;
    const start = ctx.currentTime;
    [880, 1318.5].forEach((frequency, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const t = start + i * 0.16;
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.32);
    });
  } catch {
    // As above: never let a sound problem break the monitor.
  }
}
