let audio: AudioContext | undefined;

/**
 * A short two-tone chime from Web Audio (no sound file to download). Browsers only let a page
 * make sound after the visitor has interacted with it; before that this stays silent, never throws.
 */
export function beep(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.15, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
    for (const [freq, at] of [[880, 0], [1320, 0.09]] as const) {
      const tone = audio.createOscillator();
      tone.frequency.value = freq;
      tone.connect(gain);
      tone.start(now + at);
      tone.stop(now + 0.35);
    }
  } catch {
    // No Web Audio, or not allowed yet: the badge still says it.
  }
}
