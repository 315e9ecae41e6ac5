import { createRoot, createSignal, getOwner, onCleanup, type Accessor } from 'solid-js';
import type * as v from 'valibot';
import { TenantFeedFrame, type CommandChange } from '../../../protocol/live';
import { openLiveSocket } from '../api/live-socket';
import { applyDeviceChange, loadDevices, removeDevice, scheduleRefetch } from './devices';
import { applyAlertFrame, loadAlertSummary, resyncAlerts } from './alerts';
import { addNotification, loadNotifications } from './notifications';
import { applyTicketFrame, resyncTickets } from './tickets';
import { applyJobFrame, resyncJobs } from './jobs';
import { applyJobSteps } from './deployments';
import { me } from './session';

export type CommandEvent = v.InferOutput<typeof CommandChange>;

const commandListeners = new Set<(e: CommandEvent) => void>();

/** Command status changes from anywhere in the tenant; unsubscribes with the calling scope. */
export function onCommandEvent(listener: (e: CommandEvent) => void): void {
  commandListeners.add(listener);
  if (getOwner()) onCleanup(() => commandListeners.delete(listener));
}

// A signal, so a view rendered before the feed starts still follows its state.
const [feed, setFeed] = createSignal<{ connected: Accessor<boolean>; dispose: () => void } | null>(null);

/** Opened once per signed-in session: the device list stays current across navigation. */
export function startTenantFeed(): void {
  if (feed()) return;
  setFeed(createRoot((dispose) => {
    const socket = openLiveSocket({
      path: '/live',
      schema: TenantFeedFrame,
      onFrame(frame) {
        switch (frame.t) {
          case 'device':
            applyDeviceChange(frame.device);
            break;
          case 'device_added':
            scheduleRefetch();
            break;
          case 'device_removed':
            removeDevice(frame.deviceId);
            break;
          case 'command':
            for (const l of commandListeners) l(frame.command);
            break;
          case 'alert':
            applyAlertFrame(frame.alert);
            break;
          case 'notification':
            // The hub addresses these to one user; the check keeps a stray one off other screens.
            if (frame.userId === me()?.user.id) addNotification(frame.notification);
            break;
          case 'ticket':
            applyTicketFrame(frame.ticket);
            break;
          case 'job':
            applyJobFrame(frame.job);
            break;
          case 'job_steps':
            applyJobSteps(frame);
            break;
        }
      },
      // Changes made while the socket was down never arrive as frames.
      onReconnect: () => {
        void loadDevices();
        resyncAlerts();
        resyncTickets();
        resyncJobs();
        void loadNotifications();
      },
    });
    void loadAlertSummary();
    void loadNotifications();
    return { connected: socket.connected, dispose };
  }));
}

export function feedConnected(): boolean {
  return feed()?.connected() ?? false;
}
