// Around the search box: hot words and the shopper's history before a search, and after one the
// rooms it found and a note when only near misses matched. /api/search logs the query (hot words,
// history); the product grid below keeps its own filters and sorts over the same matching.
import { Button, Space, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { $api, queryClient, useSession } from '../api.ts';

export function SearchSuggestions(props: { onPick: (q: string) => void }) {
  const { t } = useTranslation();
  const user = useSession();
  const hot = $api.useQuery('get', '/api/search/hot');
  const history = $api.useQuery('get', '/api/me/search-history', {}, { enabled: Boolean(user) });
  const clear = $api.useMutation('delete', '/api/me/search-history');
  const chips = (words: string[], testId: string) => (
    <Space wrap data-testid={testId}>
      {words.map((w) => (
        <Tag key={w} round color="default" className="search-chip" onClick={() => props.onPick(w)}>
          {w}
        </Tag>
      ))}
    </Space>
  );
  return (
    <div className="search-suggestions">
      {user && (history.data?.length ?? 0) > 0 && (
        <section>
          <div className="row search-head">
            <h4>{t('search.history')}</h4>
            <Button
              size="mini"
              fill="none"
              data-testid="search-history-clear"
              onClick={async () => {
                await clear.mutateAsync({});
                await queryClient.invalidateQueries({ queryKey: ['get', '/api/me/search-history'] });
              }}
            >
              {t('search.clearHistory')}
            </Button>
          </div>
          {chips(history.data ?? [], 'search-history')}
        </section>
      )}
      {(hot.data?.length ?? 0) > 0 && (
        <section>
          <h4>{t('search.hot')}</h4>
          {chips(hot.data ?? [], 'search-hot')}
        </section>
      )}
    </div>
  );
}

export function SearchRooms(props: { q: string }) {
  const { t } = useTranslation();
  const found = $api.useQuery('get', '/api/search', { params: { query: { q: props.q, pageSize: 1 } } });
  const rooms = found.data?.rooms ?? [];
  return (
    <>
      {found.data?.fuzzy && <div className="muted search-fuzzy">{t('search.fuzzy')}</div>}
      {rooms.length > 0 && (
        <section className="search-rooms" data-testid="search-rooms">
          <h4>{t('search.rooms')}</h4>
          {rooms.map((r) => (
            <Link key={r.id} to={`/room/${r.id}`} className="search-room" data-testid={`search-room-${r.id}`}>
              <Tag color={r.status === 'live' ? 'danger' : 'default'}>{t(`search.roomStatus.${r.status}`)}</Tag>
              <span>{r.title}</span>
            </Link>
          ))}
        </section>
      )}
    </>
  );
}
