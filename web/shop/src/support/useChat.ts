// A conversation's messages on this device: the latest page over HTTP, then the socket's frames; after
// a reconnect the socket resumes from the last seq held and the page catches up over HTTP as well (a
// resume replays at most 500). Messages are kept by seq, so a message that comes both ways shows once.
import type { SupportEvent, SupportMessage } from '@livemall/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure, api, session, unwrap, useSession } from '../api.ts';
import { refreshUnread, supportSocket } from './socket.ts';

export interface ChatState {
  messages: SupportMessage[];
  peerReadSeq: number;
  status: string | null;
  loaded: boolean;
  connected: boolean;
}

const byId = (conversationId: number) => ({ params: { path: { conversationId } } });

export function useChat(conversationId: number) {
  const user = useSession();
  const [state, setState] = useState<ChatState>({
    messages: [],
    peerReadSeq: 0,
    status: null,
    loaded: false,
    connected: false,
  });
  const readSent = useRef(0);

  const merge = useCallback((incoming: SupportMessage[]) => {
    if (incoming.length === 0) return;
    setState((s) => {
      const all = new Map(s.messages.map((m) => [m.seq, m]));
      for (const m of incoming) all.set(m.seq, m);
      return { ...s, messages: [...all.values()].sort((a, b) => a.seq - b.seq) };
    });
  }, []);

  const catchUp = useCallback(
    async (after?: number) => {
      const page = unwrap(
        await api.GET('/api/me/support/conversations/{conversationId}/messages', {
          params: { path: { conversationId }, query: after !== undefined ? { after, limit: 200 } : { limit: 50 } },
        }),
      );
      merge(page.messages as SupportMessage[]);
      setState((s) => ({ ...s, loaded: true, peerReadSeq: Math.max(s.peerReadSeq, page.peerReadSeq) }));
      return page.lastSeq;
    },
    [conversationId, merge],
  );

  const lastSeq = state.messages.at(-1)?.seq ?? 0;
  const lastSeqRef = useRef(0);
  lastSeqRef.current = lastSeq;

  useEffect(() => {
    if (!user) return;
    const socket = supportSocket();
    let live = true;
    void catchUp().then((seq) => live && socket?.track(conversationId, seq));
    const off = socket?.on((e: SupportEvent) => {
      if (e.type === 'support.resumed') {
        setState((s) => ({ ...s, connected: true }));
        void catchUp(lastSeqRef.current);
        return;
      }
      if (e.data.conversationId !== conversationId) return;
      if (e.type === 'support.message') merge([e.data.message]);
      else if (e.type === 'support.read' && e.data.reader === 'agent')
        setState((s) => ({ ...s, peerReadSeq: Math.max(s.peerReadSeq, e.data.seq) }));
      else if (e.type === 'support.conversation') setState((s) => ({ ...s, status: e.data.status }));
    });
    setState((s) => ({ ...s, connected: !!socket?.connected }));
    return () => {
      live = false;
      off?.();
    };
  }, [conversationId, user?.accessToken, catchUp, merge, user]);

  // The shopper has the chat open: everything shown is read (the shop sees 已读, the badge drops).
  useEffect(() => {
    if (lastSeq <= readSent.current || document.visibilityState === 'hidden') return;
    readSent.current = lastSeq;
    void api
      .POST('/api/me/support/conversations/{conversationId}/read', { ...byId(conversationId), body: { seq: lastSeq } })
      .then(() => refreshUnread());
  }, [lastSeq, conversationId]);

  const send = useCallback(
    async (body: { text?: string; imageKey?: string; productId?: number; orderId?: number }) => {
      const clientId = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
      const sent = unwrap(
        await api.POST('/api/me/support/conversations/{conversationId}/messages', {
          ...byId(conversationId),
          body: { clientId, ...body },
        }),
      );
      merge([sent.message as SupportMessage]);
      return sent;
    },
    [conversationId, merge],
  );

  const upload = useCallback(
    async (file: File) => {
      const form = new FormData();
      form.append('file', file);
      const token = session.get()?.accessToken;
      const r = await fetch(`/api/support/conversations/${conversationId}/images`, {
        method: 'POST',
        body: form,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const body = (await r.json()) as { key?: string; error?: { code: string; message: string } };
      if (!r.ok || !body.key) throw new ApiFailure(r.status, body.error ?? { code: `HTTP_${r.status}`, message: '' });
      return send({ imageKey: body.key });
    },
    [conversationId, send],
  );

  const askHuman = useCallback(async () => {
    const u = unwrap(await api.POST('/api/me/support/conversations/{conversationId}/human', byId(conversationId)));
    setState((s) => ({ ...s, status: u.status }));
    await catchUp(lastSeqRef.current);
    return u;
  }, [conversationId, catchUp]);

  return { ...state, send, upload, askHuman, setStatus: (status: string) => setState((s) => ({ ...s, status })) };
}
