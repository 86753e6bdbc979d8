/** A product picture beside a line (a grey square when the product has none). */
export function Thumb(props: { url: string | null }) {
  return props.url ? (
    <img className="thumb" src={props.url} alt="" width={48} height={48} />
  ) : (
    <span className="thumb" />
  );
}
