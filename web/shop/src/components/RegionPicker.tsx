// Province / city / district with their national division codes (GB/T 2260). The division table is
// ~300 KB, so it loads only when the shopper opens the picker, never with the first page.
import { Cascader, type CascaderOption } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface Region {
  province: string;
  city: string;
  district: string;
  districtCode: string;
}

let options: Promise<CascaderOption[]> | undefined;
const loadOptions = () => {
  options ??= import('@vant/area-data').then(({ useCascaderAreaData }) => {
    type Node = { text: string; value: string; children?: Node[] };
    const convert = (n: Node): CascaderOption => ({
      label: n.text,
      value: n.value,
      ...(n.children ? { children: n.children.map(convert) } : {}),
    });
    // Despite its name this is a plain function building the tree from the table.
    return (useCascaderAreaData() as Node[]).map(convert);
  });
  return options;
};

export function RegionPicker(props: { value: Region | null; onChange: (r: Region) => void }) {
  const { t } = useTranslation();
  const [tree, setTree] = useState<CascaderOption[] | null>(null);
  const [open, setOpen] = useState(false);
  const show = async () => {
    setTree(await loadOptions());
    setOpen(true);
  };
  const v = props.value;
  return (
    <>
      <button type="button" className="region-field" onClick={() => void show()} data-testid="address-region">
        {v ? `${v.province} ${v.city} ${v.district}` : <span className="muted">{t('address.chooseRegion')}</span>}
      </button>
      {tree && (
        <Cascader
          options={tree}
          visible={open}
          title={t('address.region')}
          onClose={() => setOpen(false)}
          onConfirm={(codes, extend) => {
            const names = extend.items.map((i) => String(i?.label ?? ''));
            const code = codes.at(-1);
            if (names.length === 3 && typeof code === 'string')
              props.onChange({ province: names[0]!, city: names[1]!, district: names[2]!, districtCode: code });
          }}
        />
      )}
    </>
  );
}
