/**
 * The record as a PDF for signing and the archive (pdfkit): A4, margins of Decree 30/2020
 * (top and bottom 20 mm, left 30 mm, right 15 mm), Tinos 13 pt, page numbers at the top centre
 * from page 2. The content comes from shared/domain/record.ts, the same as the DOCX's.
 */
import PDFDocument from 'pdfkit';
import type { Align, RecordBlock, RecordDocument } from '#domain/record.ts';
import { type RecordImage, recordFonts } from './record-assets.ts';

const mm = 72 / 25.4;
export const pdfMargins = { top: 20 * mm, bottom: 20 * mm, left: 30 * mm, right: 15 * mm };
const bodySize = 13;

type Doc = InstanceType<typeof PDFDocument>;

/** Renders the record; `images` holds each appendix photo's JPEG (or why it has none) by photo ID. */
export async function recordPdf(
  record: RecordDocument,
  images: ReadonlyMap<string, RecordImage>,
): Promise<Buffer> {
  const fonts = recordFonts();
  // The regular face as the default font: pdfkit would otherwise load Helvetica's AFM data
  // from its package folder, which a bundled function does not have.
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: pdfMargins,
    bufferPages: true,
    font: fonts.regular as unknown as string,
    info: { Title: `${record.title} ${record.header.number}`, Author: record.header.agency },
    lang: 'vi-VN',
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('italic', fonts.italic);
  doc.registerFont('boldItalic', fonts.boldItalic);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const left = pdfMargins.left;
  const width = doc.page.width - pdfMargins.left - pdfMargins.right;
  const bottom = () => doc.page.height - pdfMargins.bottom;

  // Header: agency (left) and national motto (right), each centred in its column.
  const top = pdfMargins.top;
  const leftWidth = width * 0.42;
  const rightX = left + width * 0.42;
  const rightWidth = width * 0.58;
  doc
    .font('regular')
    .fontSize(12)
    .text(record.header.authority, left, top, { width: leftWidth, align: 'center' });
  doc.font('bold').text(record.header.agency, left, doc.y, { width: leftWidth, align: 'center' });
  const agencyLine = doc.y + 1;
  doc
    .moveTo(left + leftWidth * 0.35, agencyLine)
    .lineTo(left + leftWidth * 0.65, agencyLine)
    .lineWidth(0.6)
    .stroke();
  doc
    .font('regular')
    .fontSize(bodySize)
    .text(record.header.number, left, agencyLine + 6, {
      width: leftWidth,
      align: 'center',
    });
  doc
    .font('bold')
    .fontSize(12)
    .text(record.header.motto, rightX, top, { width: rightWidth, align: 'center' });
  doc.fontSize(bodySize).text(record.header.slogan, rightX, doc.y, { width: rightWidth, align: 'center' });
  const mottoLine = doc.y + 1;
  const sloganWidth = doc.widthOfString(record.header.slogan);
  doc
    .moveTo(rightX + (rightWidth - sloganWidth) / 2, mottoLine)
    .lineTo(rightX + (rightWidth + sloganWidth) / 2, mottoLine)
    .stroke();
  doc
    .font('italic')
    .text(record.header.placeDate, rightX, mottoLine + 6, { width: rightWidth, align: 'center' });

  doc
    .font('bold')
    .fontSize(14)
    .text(record.title, left, doc.y + 24, { width, align: 'center' });
  doc.fontSize(bodySize).text(record.subtitle, left, doc.y + 2, { width, align: 'center' });
  doc.moveDown(1);

  for (const block of record.body) drawBlock(doc, block, left, width, bottom);

  // Signature blocks: side by side in pairs, never split across a page.
  doc.moveDown(1);
  const pairs: Array<typeof record.signatures> = [];
  for (let i = 0; i < record.signatures.length; i += 2) pairs.push(record.signatures.slice(i, i + 2));
  for (const pair of pairs) {
    if (doc.y + 55 * mm > bottom()) doc.addPage();
    const y = doc.y;
    let lowest = y;
    pair.forEach((block, i) => {
      const columnWidth = pair.length === 1 ? width : width / 2;
      const x = left + i * (width / 2);
      doc.font('bold').fontSize(bodySize).text(block.title, x, y, { width: columnWidth, align: 'center' });
      doc.font('italic').text(block.note, x, doc.y, { width: columnWidth, align: 'center' });
      // Room to sign.
      const namesY = doc.y + 22 * mm;
      doc.font('bold').text(block.names.join('\n'), x, namesY, { width: columnWidth, align: 'center' });
      lowest = Math.max(lowest, doc.y);
    });
    doc.x = left;
    doc.y = lowest + 8 * mm;
  }

  // Appendix of photos: each with its caption, kept together on a page.
  if (record.appendix.photos.length > 0) {
    doc.addPage();
    doc
      .font('bold')
      .fontSize(bodySize)
      .text(record.appendix.title, left, pdfMargins.top, { width, align: 'center' });
    doc.moveDown(1);
    const maxHeight = 105 * mm;
    for (const photo of record.appendix.photos) {
      const image = images.get(photo.photoId);
      const size =
        image?.ok === true
          ? fitWithin(image.width, image.height, width, maxHeight)
          : { width: width * 0.6, height: 30 * mm };
      doc.font('regular').fontSize(11);
      const captionHeight = photo.caption.reduce((sum, line) => sum + doc.heightOfString(line, { width }), 0);
      if (doc.y + size.height + captionHeight + 8 * mm > bottom()) doc.addPage();
      const x = left + (width - size.width) / 2;
      const y = doc.y;
      if (image?.ok === true) {
        doc.image(image.jpeg, x, y, { width: size.width, height: size.height });
      } else {
        doc.rect(x, y, size.width, size.height).lineWidth(0.6).dash(3, { space: 3 }).stroke().undash();
        doc
          .font('italic')
          .text(
            `Không hiển thị được ảnh: ${image?.ok === false ? image.reason : 'không đọc được tệp'}`,
            x,
            y + size.height / 2 - 7,
            {
              width: size.width,
              align: 'center',
            },
          );
      }
      doc.font('regular').fontSize(11);
      doc.x = left;
      doc.y = y + size.height + 3 * mm;
      for (const line of photo.caption) doc.text(line, left, doc.y, { width });
      doc.y += 6 * mm;
    }
  }

  // Page numbers from page 2, at the top centre, in the top margin.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font('regular')
      .fontSize(bodySize)
      .text(String(i + 1), left, 10 * mm, {
        width,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function fitWithin(w: number, h: number, maxW: number, maxH: number) {
  const scale = Math.min(maxW / w, maxH / h, 1.5);
  return { width: w * scale, height: h * scale };
}

const pdfAlign = (align: Align | undefined) => align ?? 'left';

function drawBlock(doc: Doc, block: RecordBlock, left: number, width: number, bottom: () => number): void {
  doc.fontSize(bodySize);
  switch (block.kind) {
    case 'heading':
      if (doc.y + 30 > bottom()) doc.addPage();
      doc.font('bold').text(block.text, left, doc.y + 6, { width });
      doc.moveDown(0.3);
      return;
    case 'paragraph': {
      const font = block.bold ? (block.italic ? 'boldItalic' : 'bold') : block.italic ? 'italic' : 'regular';
      doc.font(font).text(block.text, left, doc.y, {
        width,
        align: pdfAlign(block.align),
        indent: block.bold ? 0 : 28,
        paragraphGap: 3,
      });
      return;
    }
    case 'list':
      doc.font('regular');
      for (const item of block.items)
        doc.text(`- ${item}`, left + 14, doc.y, { width: width - 14, paragraphGap: 2 });
      return;
    case 'table':
      drawTable(doc, block, left, width, bottom);
      return;
  }
}

function drawTable(
  doc: Doc,
  table: Extract<RecordBlock, { kind: 'table' }>,
  left: number,
  width: number,
  bottom: () => number,
): void {
  const total = table.widths.reduce((a, b) => a + b, 0);
  const widths = table.widths.map((w) => (w / total) * width);
  const pad = 4;
  const size = 12;
  const drawRow = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(size);
    const height =
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: (widths[i] ?? 0) - 2 * pad }))) +
      2 * pad;
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (!bold) drawRow(table.header, true);
      doc.font(bold ? 'bold' : 'regular').fontSize(size);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      doc.rect(x, y, w, height).lineWidth(0.5).stroke();
      const align = bold ? 'center' : (table.align[i] ?? 'left');
      doc.text(cell, x + pad, y + pad, { width: w - 2 * pad, align: align === 'justify' ? 'left' : align });
      x += w;
    });
    doc.x = left;
    doc.y = y + height;
  };
  drawRow(table.header, true);
  table.rows.forEach((row, i) => {
    drawRow(row, table.boldRows?.includes(i) ?? false);
  });
  doc.moveDown(0.5);
}
