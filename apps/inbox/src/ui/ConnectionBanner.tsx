import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';

/**
 * A small pill while the live link is down. The status region is always rendered (empty when
 * all is well) so screen readers announce the change, and it floats so nothing shifts.
 */
export function ConnectionBanner() {
  const inbox = useInbox();
  const connection = useStore(inbox.session, (state) => state.connection);
  const text = connection === 'reconnecting' ? 'Reconnecting…' : connection === 'closed' ? 'Offline' : '';
  return (
    <div class={text ? 'banner banner-visible' : 'banner'} role="status">
      {text}
    </div>
  );
}
