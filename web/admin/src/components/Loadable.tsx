import { Alert, Button, Spin } from 'antd';
import type { ReactNode } from 'react';
import { errorText } from '../api.ts';

export function Loadable<T>(props: { state: { data?: T; error?: unknown; loading: boolean; reload(): void }; children: (d: T) => ReactNode }) {
  if (props.state.error) return <Alert type="error" showIcon message="加载失败 Failed to load" description={errorText(props.state.error)} action={<Button onClick={props.state.reload}>重试</Button>} />;
  if (props.state.data === undefined) return <Spin style={{ display: 'block', margin: 40 }} />;
  return <>{props.children(props.state.data)}</>;
}
