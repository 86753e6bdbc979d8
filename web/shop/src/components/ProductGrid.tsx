import { Link } from 'react-router-dom';
import { yuan } from '../api.ts';

/** Two-column product cards (home recommendations, search results). */
export function ProductGrid(props: {
  items: Array<{ id: number; title: string; coverUrl: string | null; minPriceFen: number }>;
}) {
  return (
    <div className="grid">
      {props.items.map((x) => (
        <Link key={x.id} to={`/product/${x.id}`} className="product-card">
          <div className="cover" style={x.coverUrl ? { backgroundImage: `url(${x.coverUrl})` } : undefined} />
          <div className="room-title">{x.title}</div>
          <div className="price">{yuan(x.minPriceFen)}</div>
        </Link>
      ))}
    </div>
  );
}
