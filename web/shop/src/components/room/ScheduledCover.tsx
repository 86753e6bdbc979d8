// A scheduled room is not a black player: the cover, a countdown to the start and "remind me" (预约).
// When the countdown reaches zero the room keeps waiting for the `room.live` frame, which reloads the page.
import { useLabels } from '@livemall/sdk';
import { Button, Toast } from 'antd-mobile';
import { BellOutline, CheckOutline, ClockCircleOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, session } from '../../api.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2天 03:04:05" style without a day part under 24 h; a shopper reads the hours at a glance. */
export function countdown(ms: number): { days: number; clock: string } {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const rest = s % 86_400;
  return { days, clock: `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}` };
}

export function ScheduledCover(props: {
  roomId: number;
  coverUrl: string | null;
  scheduledAt: string | null;
  reminded: boolean;
  reminders: number;
  onSignIn(): void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [now, setNow] = useState(Date.now());
  const [reminded, setReminded] = useState(props.reminded);
  const [reminders, setReminders] = useState(props.reminders);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const on = $api.useMutation('put', '/api/rooms/{roomId}/remind');
  const off = $api.useMutation('delete', '/api/rooms/{roomId}/remind');
  const toggle = async () => {
    if (!session.get()) return props.onSignIn();
    try {
      const r = await (reminded ? off : on).mutateAsync({ params: { path: { roomId: props.roomId } } });
      setReminded(r.reminded);
      setReminders(r.subscribers);
      if (r.reminded) Toast.show({ icon: 'success', content: t('room.reminded') });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const left = props.scheduledAt ? new Date(props.scheduledAt).getTime() - now : 0;
  const { days, clock } = countdown(left);
  return (
    <div className="scheduled" data-testid="scheduled-cover">
      {props.coverUrl && <img className="scheduled-cover" src={props.coverUrl} alt="" />}
      <div className="scheduled-card">
        <ClockCircleOutline fontSize={28} />
        {props.scheduledAt && <div>{t('room.scheduledFor', { time: labels.time(props.scheduledAt) })}</div>}
        <div className="scheduled-countdown" data-testid="countdown" role="timer">
          {left > 0 ? t('room.startsIn', { time: days > 0 ? `${days}d ${clock}` : clock }) : t('room.startsSoon')}
        </div>
        <Button
          color={reminded ? 'default' : 'danger'}
          shape="rounded"
          onClick={() => void toggle()}
          loading={on.isPending || off.isPending}
          data-testid="remind"
        >
          {reminded ? <CheckOutline /> : <BellOutline />} {reminded ? t('room.remindSet') : t('room.remindMe')}
        </Button>
        <div className="muted-light">{t('room.reminders', { n: reminders })}</div>
      </div>
    </div>
  );
}
