/**
 * Whether a publish's NotificationMessage is followed by more of the same harvest: the server had
 * more notifications than one message holds (its maxNotificationsPerPublish, Part 4 §5.13.1.1) and
 * said `moreNotifications` on the PublishResponse. node-opcua's client hands a subscription the
 * message alone, so the response is looked at on its way in (its publish engine's receiver).
 * lost-values.ts needs it: a queue sent over two messages is full in neither.
 */
import type { ClientSession, NotificationMessage, PublishResponse } from 'node-opcua-client';

const moreOf = new WeakMap<object, boolean>();
const HOOKED = Symbol('vigil.moreNotifications');

type Receiver = (response: PublishResponse) => void;

/** Notes moreNotifications of every publish response the session receives (once per publish engine). */
export function watchMoreNotifications(session: ClientSession): void {
  const engine = (session as unknown as { getPublishEngine?: () => unknown }).getPublishEngine?.() as
    (Record<PropertyKey, unknown> & { _receive_publish_response?: Receiver }) | undefined;
  const receive = engine?._receive_publish_response;
  if (!engine || typeof receive !== 'function' || engine[HOOKED]) return;
  engine[HOOKED] = true;
  engine._receive_publish_response = function (this: unknown, response: PublishResponse) {
    if (response.notificationMessage) moreOf.set(response.notificationMessage, response.moreNotifications === true);
    receive.call(this, response);
  };
}

/** True: more of its harvest follows in the next message; false: it ends one; undefined: not known (not watched). */
export function moreNotificationsAfter(message: NotificationMessage): boolean | undefined {
  return moreOf.get(message);
}
