import ExcelJS from 'exceljs';

/** A roster the way a branch keeps it in Excel: a title above the header, date cells, numbers for phones. */
export async function branchWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow(['第一党支部党员花名册（2026年）']);
  sheet.mergeCells('A1:M1');
  sheet.addRow([]);
  sheet.addRow([
    '序号',
    '姓 名',
    '性别',
    '民族',
    '出生年月',
    '文化程度',
    '手机号码',
    '入党时间',
    '党员类别',
    '支部职务',
    '所在党小组',
    '是否领导干部',
    '备注 ',
  ]);
  const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
  sheet.addRow([
    1,
    '刘  洋',
    '男',
    '汉族',
    date('1978-04-21'),
    '大学本科',
    13811112222,
    '2001年7月1日',
    '正式党员',
    '组织委员',
    '第一党小组',
    '否',
    '',
  ]);
  sheet.addRow([
    2,
    '陈静 ',
    '女',
    '汉族',
    date('1992-10-08'),
    '硕士研究生',
    13933334444,
    '2015/3/8',
    '正式党员',
    '宣传委员',
    '第二党小组',
    '否',
    '',
  ]);
  sheet.addRow([]);
  sheet.addRow([
    3,
    '马明',
    '男',
    '回族',
    '1965.03',
    '大专',
    '010-88889999',
    '1990.07',
    '正式党员',
    '',
    '第二党小组 ',
    '是',
    '区人大代表',
  ]);
  sheet.addRow([
    4,
    '林晓',
    '女',
    '汉族',
    date('2000-01-15'),
    '大学本科',
    15055556666,
    44927,
    '预备党员',
    '',
    '第一党小组',
    '否',
    '',
  ]);
  sheet.getCell('A7').value = { richText: [{ text: '3' }] };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
