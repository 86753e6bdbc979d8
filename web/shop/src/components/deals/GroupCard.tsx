// The card a group-buy deal or one of its groups is shown in: its title and the group price.
import { Card } from 'antd-mobile';
import { TeamOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { yuan } from '../../api.ts';

export function GroupCard(props: { title: string; groupPriceFen: number; children: ReactNode }) {
  return (
    <Card
      title={
        <>
          <TeamOutline /> {props.title}
        </>
      }
      extra={<span className="price">{yuan(props.groupPriceFen)}</span>}
    >
      {props.children}
    </Card>
  );
}
