// One conversation in the workbench: the latest page over HTTP, then the socket's frames (kept by seq,
// so a message that comes both ways shows once), caught up over HTTP after every reconnect.
import { ApiFailure, type SupportEvent, type SupportMessage, unwrap } from '@livemall/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, session } from '../api.ts';
import { agentSocket, refreshLists } from './socket.ts';

export function useAgentChat(merchantId: number, conversationId: number) {
  const [messages, setMessages] = useState<SupportMessage[]>([]);
  const [peerReadSeq, setPeerRead] = useState(0);
  const readSent = useRef(0);
  const lastSeq = useRef(0);
  const path = { merchantId, conversationId };

  const merge = useCallback((incoming: SupportMessage[]) => {
    if (incoming.length === 0) return;
    setMessages((list) => {
      const all = new Map(list.map((m) => [m.seq, m]));
      for (const m of incoming) all.set(m.seq, m);
      const next = [...all.values()].sort((a, b) => a.seq - b.seq);
      lastSeq.current = next.at(-1)?.seq ?? 0;
      return next;
    });
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: path is rebuilt from these two ids
  const catchUp = useCallback(
    async (after?: number) => {
      const page = unwrap(
        await api.GET('/api/merchants/{merchantId}/support/conversations/{conversationId}/messages', {
          params: { path, query: after !== undefined ? { after, limit: 200 } : { limit: 100 } },
        }),
      );
      merge(page.messages as SupportMessage[]);
      setPeerRead((s) => Math.max(s, page.peerReadSeq));
      return page.lastSeq;
    },
    [merchantId, conversationId, merge],
  );

  useEffect(() => {
    setMessages([]);
    setPeerRead(0);
    readSent.current = 0;
    lastSeq.current = 0;
    const socket = agentSocket();
    void catchUp().then((seq) => socket?.track(conversationId, seq));
    const off = socket?.on((e: SupportEvent) => {
      if (e.type === 'support.resumed') {
        void catchUp(lastSeq.current);
        return;
      }
      if (e.data.conversationId !== conversationId) return;
      if (e.type === 'support.message') merge([e.data.message]);
      else if (e.type === 'support.read' && e.data.reader === 'shopper') setPeerRead((s) => Math.max(s, e.data.seq));
    });
    return () => {
      off?.();
    };
  }, [conversationId, catchUp, merge]);

  const newest = messages.at(-1)?.seq ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: path is rebuilt from these two ids
  useEffect(() => {
    if (newest <= readSent.current) return;
    readSent.current = newest;
    void api
      .POST('/api/merchants/{merchantId}/support/conversations/{conversationId}/read', {
        params: { path },
        body: { seq: newest },
      })
      .then(() => refreshLists());
  }, [newest, merchantId, conversationId]);

  const send = useCallback(
    async (body: {
      text?: string;
      imageKey?: string;
      cannedReplyId?: number;
      productId?: number;
      orderId?: number;
    }) => {
      const clientId = `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
      const r = unwrap(
        await api.POST('/api/merchants/{merchantId}/support/conversations/{conversationId}/messages', {
          params: { path: { merchantId, conversationId } },
          body: { clientId, ...body },
        }),
      );
      merge([r.message as SupportMessage]);
      refreshLists();
      return r;
    },
    [merchantId, conversationId, merge],
  );

  /** Upload an image for this conversation (both sides use the same route), then send it. */
  const sendImage = useCallback(
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

  return { messages, peerReadSeq, send, sendImage };
}
