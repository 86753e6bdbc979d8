// An action that looks like a link in a table row: a real button (keyboard and screen readers
// reach it), styled as antd's link.
import { Button, type ButtonProps } from 'antd';

export function LinkButton(props: Omit<ButtonProps, 'type'>) {
  return <Button type="link" size="small" {...props} style={{ padding: 0, height: 'auto', ...props.style }} />;
}
