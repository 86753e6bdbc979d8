// Types of the REST API, from the server's OpenAPI document (packages/sdk, generated): the mini-program
// reads the same shapes as the H5 shop. Types only: nothing of the SDK's runtime enters the package.
import type { paths, components } from '../../../../packages/sdk/src/schema';

export type { paths };
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer A }
      ? Json<A>
      : never
  : never;
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer B }
  ? Json<NonNullable<B>>
  : never;

export type Quote = components['schemas']['Quote'];
export type RoomDetail = Answer<'/api/rooms/{roomId}', 'get'>;
export type RoomCard = Answer<'/api/rooms', 'get'>[number];
export type ProductDetail = Answer<'/api/products/{productId}', 'get'>;
export type User = components['schemas']['User'];
export type Tokens = components['schemas']['Tokens'];
/** A saved address of the shopper's address book (GET /api/me/addresses), and what adding one sends. */
export type Address = Answer<'/api/me/addresses', 'get'>[number];
export type AddressInput = Body<'/api/me/addresses', 'post'>;
