/**
 * The record as a DOCX for staff who must edit it (the `docx` package): the same content as the
 * PDF (shared/domain/record.ts), A4 with the Decree 30/2020 margins, Times New Roman 13 pt
 * (Tinos, the PDF's font, is metric-compatible with it), page numbers at the top centre from
 * page 2 (a first-page header of its own, left empty).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Align, RecordBlock, RecordDocument } from '#domain/record.ts';
import type { RecordImage } from './record-assets.ts';

const twipsPerMm = 1440 / 25.4;
const twips = (millimetres: number) => Math.round(millimetres * twipsPerMm);
const font = 'Times New Roman';
/** Half-points. */
const bodySize = 26;
const contentWidthMm = 210 - 30 - 15;

const alignment = (align: Align | undefined) =>
  align === 'center'
    ? AlignmentType.CENTER
    : align === 'right'
      ? AlignmentType.RIGHT
      : align === 'justify'
        ? AlignmentType.JUSTIFIED
        : AlignmentType.LEFT;

const run = (text: string, options: { bold?: boolean; italic?: boolean; size?: number } = {}) =>
  new TextRun({
    text,
    font,
    size: options.size ?? bodySize,
    bold: options.bold ?? false,
    italics: options.italic ?? false,
  });

const line = (
  text: string,
  options: {
    bold?: boolean;
    italic?: boolean;
    size?: number;
    align?: Align;
    indent?: boolean;
    after?: number;
  } = {},
) =>
  new Paragraph({
    alignment: alignment(options.align),
    spacing: { after: options.after ?? 60 },
    ...(options.indent ? { indent: { firstLine: twips(10) } } : {}),
    children: [run(text, options)],
  });

const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = {
  top: none,
  bottom: none,
  left: none,
  right: none,
  insideHorizontal: none,
  insideVertical: none,
};

/** A borderless two-column table: the header block and the signatures. */
function columns(cells: Paragraph[][], widths: number[]): Table {
  return new Table({
    width: { size: twips(contentWidthMm), type: WidthType.DXA },
    columnWidths: widths.map((w) => twips(w)),
    borders: noBorders,
    rows: [
      new TableRow({
        children: cells.map(
          (children, i) =>
            new TableCell({ width: { size: twips(widths[i] ?? 0), type: WidthType.DXA }, children }),
        ),
      }),
    ],
  });
}

function block(content: RecordBlock): Array<Paragraph | Table> {
  switch (content.kind) {
    case 'heading':
      return [line(content.text, { bold: true, after: 80 })];
    case 'paragraph':
      return [
        line(content.text, {
          bold: content.bold ?? false,
          italic: content.italic ?? false,
          align: content.align ?? 'left',
          indent: !content.bold,
        }),
      ];
    case 'list':
      return content.items.map((item) => line(`- ${item}`));
    case 'table': {
      const total = content.widths.reduce((a, b) => a + b, 0);
      const widths = content.widths.map((w) => (w / total) * contentWidthMm);
      const row = (cells: readonly string[], header: boolean) =>
        new TableRow({
          tableHeader: header,
          children: cells.map(
            (cell, i) =>
              new TableCell({
                width: { size: twips(widths[i] ?? 0), type: WidthType.DXA },
                children: [
                  line(cell, {
                    bold: header,
                    size: 24,
                    align: header ? 'center' : (content.align[i] ?? 'left'),
                    after: 0,
                  }),
                ],
              }),
          ),
        });
      return [
        new Table({
          width: { size: twips(contentWidthMm), type: WidthType.DXA },
          columnWidths: widths.map((w) => twips(w)),
          rows: [row(content.header, true), ...content.rows.map((cells) => row(cells, false))],
        }),
        line(''),
      ];
    }
  }
}

/** Renders the record as a DOCX file. */
export async function recordDocx(
  record: RecordDocument,
  images: ReadonlyMap<string, RecordImage>,
): Promise<Buffer> {
  const { header } = record;
  const children: Array<Paragraph | Table> = [
    columns(
      [
        [
          line(header.authority, { size: 24, align: 'center', after: 0 }),
          line(header.agency, { bold: true, size: 24, align: 'center', after: 120 }),
          line(header.number, { align: 'center' }),
        ],
        [
          line(header.motto, { bold: true, size: 24, align: 'center', after: 0 }),
          line(header.slogan, { bold: true, align: 'center', after: 120 }),
          line(header.placeDate, { italic: true, align: 'center' }),
        ],
      ],
      [contentWidthMm * 0.42, contentWidthMm * 0.58],
    ),
    line('', { after: 200 }),
    line(record.title, { bold: true, size: 28, align: 'center', after: 0 }),
    line(record.subtitle, { bold: true, align: 'center', after: 200 }),
    ...record.body.flatMap(block),
    line(''),
  ];
  for (let i = 0; i < record.signatures.length; i += 2) {
    const pair = record.signatures.slice(i, i + 2);
    const cell = (signature: (typeof pair)[number]) => [
      line(signature.title, { bold: true, align: 'center', after: 0 }),
      line(signature.note, { italic: true, align: 'center', after: 1200 }),
      ...signature.names.map((name) => line(name, { bold: true, align: 'center', after: 0 })),
    ];
    children.push(
      columns(
        pair.map(cell),
        pair.length === 1 ? [contentWidthMm] : [contentWidthMm / 2, contentWidthMm / 2],
      ),
    );
    children.push(line('', { after: 200 }));
  }
  if (record.appendix.photos.length > 0) {
    children.push(
      new Paragraph({
        pageBreakBefore: true,
        alignment: AlignmentType.CENTER,
        children: [run(record.appendix.title, { bold: true })],
      }),
    );
    for (const photo of record.appendix.photos) {
      const image = images.get(photo.photoId);
      if (image?.ok === true) {
        // In pixels at 96 dpi: the content width is about 624 px.
        const scale = Math.min(620 / image.width, 400 / image.height, 1);
        children.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            keepNext: true,
            children: [
              new ImageRun({
                type: 'jpg',
                data: image.jpeg,
                transformation: {
                  width: Math.round(image.width * scale),
                  height: Math.round(image.height * scale),
                },
              }),
            ],
          }),
        );
      } else {
        children.push(
          line(`[Không hiển thị được ảnh: ${image?.ok === false ? image.reason : 'không đọc được tệp'}]`, {
            italic: true,
            align: 'center',
          }),
        );
      }
      photo.caption.forEach((text, i) => {
        children.push(line(text, { size: 22, after: i === photo.caption.length - 1 ? 240 : 0 }));
      });
    }
  }
  const document = new Document({
    creator: header.agency,
    title: `${record.title} ${header.number}`,
    styles: { default: { document: { run: { font, size: bodySize } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: twips(210), height: twips(297) },
            margin: {
              top: twips(20),
              bottom: twips(20),
              left: twips(30),
              right: twips(15),
              header: twips(10),
            },
          },
        },
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], font, size: bodySize })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
