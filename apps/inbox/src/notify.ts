/**
 * Desktop alerts while the inbox tab is hidden: a browser notification and a short chime. The
 * controller decides *when* (new conversation, a message on one's own conversation, a mention);
 * this decides *how*, and does nothing while the agent is looking at the page.
 */
export interface Alerter {
  /** Permission is asked from a user gesture only (a click), as browsers require. */
  requestPermission(): Promise<NotificationPermission | 'unsupported'>;
  permission(): NotificationPermission | 'unsupported';
  alert(alert: { title: string; body: string; tag: string; onClick?: () => void }): void;
}

export function browserAlerter(): Alerter {
  let audio: AudioContext | null = null;
  const supported = typeof Notification !== 'undefined';

  function chime() {
    try {
      audio ??= new AudioContext();
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.15, audio.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.4);
    } catch {
      // No audio output (or autoplay refused): the notification alone will do.
    }
  }

  return {
    async requestPermission() {
      if (!supported) return 'unsupported';
      // Unlocks audio too: the context must start from a gesture.
      try {
        audio ??= new AudioContext();
        void audio.resume();
      } catch {
        // ignore
      }
      return Notification.requestPermission();
    },
    permission: () => (supported ? Notification.permission : 'unsupported'),
    alert({ title, body, tag, onClick }) {
      if (document.visibilityState === 'visible') return;
      chime();
      if (!supported || Notification.permission !== 'granted') return;
      const notification = new Notification(title, { body, tag });
      notification.onclick = () => {
        window.focus();
        onClick?.();
        notification.close();
      };
    },
  };
}
