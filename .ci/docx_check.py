#!/usr/bin/env python3
# Checks that a report.<lang>.docx is laid out as PRODUCT.md's "official document"
# (GB/T 9704-2012) says. Usage: docx_check.py FILE.docx [--lang zh|en]
# (the language defaults to docProps/core.xml's dc:language).
#
# It opens the file with python-docx (so the package must be readable) and reads
# the raw XML with zipfile where python-docx has no API. It asserts:
#   - page: A4 (210 x 297 mm); margins top 37, bottom 35, left 28, right 26 mm;
#   - grid: w:docGrid with w:linePitch 579 twips (28.95 pt), and 28 characters a
#     line: either type linesAndChars with a w:charSpace whose pitch fits 28 of
#     the body size, or type lines with Chinese body text condensed (w:spacing)
#     so that 28 fit; the body (Normal) has exact line spacing of 28.95 pt;
#   - title (style Title, used once): 22 pt, centred, East Asian font 方正小标宋简体
#     (Chinese) or Times New Roman bold (English);
#   - body (Normal): 16 pt, first-line indent of 2 characters (firstLineChars=200),
#     East Asian font 仿宋_GB2312 (zh) or 宋体 (en, for Chinese text in it);
#   - headings 1-4: 16 pt, outline levels 0-3, East Asian fonts 黑体, 楷体_GB2312,
#     仿宋_GB2312, 仿宋_GB2312 (zh), or bold with 宋体 for Chinese text (en); level
#     1 and 2 headings are used;
#   - every run with text in document.xml names Times New Roman for ascii/hAnsi,
#     and (zh) a Chinese East Asian font / (en) 宋体; the styles' language is
#     w:eastAsia="zh-CN";
#   - fontTable.xml: each Chinese font falls back to its Windows name and a Noto
#     CJK SC face (w:altName, a comma-separated list);
#   - footers: a default and an even footer, each with a PAGE field between em
#     dashes (right- and left-aligned), w:evenAndOddHeaders and w:mirrorMargins
#     (two-sided: the 28 mm left margin is the inside one) in settings.xml;
#   - 落款 (when there is one: Signature paragraphs): a blank line, then the
#     organisation and the date, right-aligned; the first two keep with the next
#     (w:keepNext), so the date never stands alone; every right indent says the
#     same in characters and twips (rightChars x 320 = right x 100 at 16 pt); the
#     organisation 2 characters from the margin (zh, and en both lines), the date
#     (zh) at least 2. A Chinese 落款 whose organisation fits on a line is placed
#     from the left instead (w:jc left): its left indent in characters and twips
#     agree, the organisation ends 2 grid characters (8845/28 twips) from the
#     margin, and the date starts right of the organisation's start (2 characters,
#     GB/T 9704 7.3.5.2);
#   - charts: every c:chart in document.xml points through a chart relationship
#     at a word/charts/chartN.xml part that is in the package, has a content
#     type and holds cached values, and any workbook it names is in the package;
#     at least one chart (--charts N: exactly N).
# Exits 1 with one line per failure, 0 with a summary.

import re
import sys
import zipfile

try:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
except ImportError:
    sys.exit("docx_check.py needs python-docx: pip install python-docx")

ZH_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
TNR = "Times New Roman"
CJK_NAMES = ("仿宋", "黑体", "楷体", "宋体", "方正")
EN_EAST_ASIA = "宋体"

problems = []


def check(ok, message):
    if not ok:
        problems.append(message)
    return ok


def near(value, want, tol):
    return value is not None and abs(value - want) <= tol


def style_attr(style, tag, attr):
    """An attribute of a style's rPr/pPr child ("w:rPr/w:spacing"), following basedOn."""
    path = "/".join(qn(t) for t in tag.split("/"))
    while style is not None:
        el = style.element.find(f".//{path}")
        if el is not None and el.get(qn(attr)) is not None:
            return el.get(qn(attr))
        style = style.base_style
    return None


def bold(style):
    while style is not None:
        if style.font.bold is not None:
            return style.font.bold
        style = style.base_style
    return False


def size_pt(style):
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return None


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__ or "usage: docx_check.py FILE.docx [--lang zh|en] [--charts N]")
    path = args[0]
    lang = None
    want_charts = None
    if "--lang" in args:
        lang = args[args.index("--lang") + 1]
    if "--charts" in args:
        want_charts = int(args[args.index("--charts") + 1])
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    raw = {n: z.read(n).decode("utf-8") for n in names if n.endswith(".xml") or n.endswith(".rels")}
    if lang is None:
        m = re.search(r"<dc:language>([a-z]{2})", raw.get("docProps/core.xml", ""))
        lang = m.group(1) if m else "zh"
    zh = lang == "zh"
    d = docx.Document(path)

    # Page and margins.
    s = d.sections[0]
    check(near(s.page_width.mm, 210, 0.5) and near(s.page_height.mm, 297, 0.5),
          f"page is {s.page_width.mm:.1f} x {s.page_height.mm:.1f} mm, not A4")
    for name, got, want in [("top", s.top_margin, 37), ("bottom", s.bottom_margin, 35),
                            ("left", s.left_margin, 28), ("right", s.right_margin, 26)]:
        check(near(got.mm, want, 0.3), f"{name} margin is {got.mm:.1f} mm, not {want} mm")

    # Grid and line spacing.
    body = raw["word/document.xml"]
    styles_xml = raw["word/styles.xml"]
    grid = re.search(r"<w:docGrid ([^>]*)/>", body)
    normal = d.styles["Normal"]
    if check(grid is not None, "no w:docGrid in the section"):
        attrs = dict(re.findall(r'w:(\w+)="([^"]*)"', grid.group(1)))
        check(attrs.get("linePitch") == "579", f"grid line pitch is {attrs.get('linePitch')}, not 579 twips")
        text_w_pt = (s.page_width.twips - s.left_margin.twips - s.right_margin.twips) / 20
        body_pt = size_pt(normal) or 0
        if attrs.get("type") == "linesAndChars":
            pitch = body_pt + int(attrs.get("charSpace", "0")) / 4096
            check(int(text_w_pt // pitch) == 28 if pitch > 0 else False,
                  f"character grid pitch {pitch:.3f} pt gives {text_w_pt / pitch:.2f} characters a line, not 28")
        elif attrs.get("type") == "lines":
            if zh:
                sp = style_attr(normal, "w:rPr/w:spacing", "w:val")
                sp = int(sp) / 20 if sp is not None and re.fullmatch(r"-?\d+", sp) else 0
                pitch = body_pt + sp
                check(int(text_w_pt // pitch) == 28,
                      f"condensed body ({sp} pt) gives {text_w_pt / pitch:.2f} characters a line, not 28")
        else:
            check(False, f"grid type is {attrs.get('type')}, not lines or linesAndChars")
    pf = normal.paragraph_format
    check(pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY, f"body line spacing is {pf.line_spacing_rule}, not exact")
    check(pf.line_spacing is not None and near(pf.line_spacing.pt, 28.95, 0.05),
          f"body line spacing is {pf.line_spacing.pt if pf.line_spacing else None} pt, not 28.95")

    # Title.
    titles = [p for p in d.paragraphs if p.style.name == "Title"]
    check(len(titles) == 1, f"{len(titles)} title paragraphs, not 1")
    t = d.styles["Title"]
    check(near(size_pt(t), 22, 0.01), f"title is {size_pt(t)} pt, not 22")
    check(t.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER, "title is not centred")
    want = "方正小标宋简体" if zh else EN_EAST_ASIA
    check(style_attr(t, "w:rFonts", "w:eastAsia") == want, f"title font is {style_attr(t, 'w:rFonts', 'w:eastAsia')}, not {want}")
    if not zh:
        check(bold(t), "English title is not bold")

    # Body.
    check(near(size_pt(normal), 16, 0.01), f"body is {size_pt(normal)} pt, not 16")
    check(style_attr(normal, "w:ind", "w:firstLineChars") == "200", "body has no 2-character first-line indent (firstLineChars=200)")
    want = "仿宋_GB2312" if zh else EN_EAST_ASIA
    check(style_attr(normal, "w:rFonts", "w:eastAsia") == want, f"body font is {style_attr(normal, 'w:rFonts', 'w:eastAsia')}, not {want}")
    check(style_attr(normal, "w:rFonts", "w:ascii") == TNR and style_attr(normal, "w:rFonts", "w:hAnsi") == TNR,
          "body Latin font is not Times New Roman")
    check('w:eastAsia="zh-CN"' in styles_xml, 'styles set no w:lang w:eastAsia="zh-CN"')

    # Headings.
    used = {p.style.name for p in d.paragraphs}
    for level in range(1, 5):
        h = d.styles[f"Heading {level}"]
        check(near(size_pt(h), 16, 0.01), f"heading {level} is {size_pt(h)} pt, not 16")
        want = ZH_FONTS[level] if zh else EN_EAST_ASIA
        got = style_attr(h, "w:rFonts", "w:eastAsia")
        check(got == want, f"heading {level} font is {got}, not {want}")
        check(style_attr(h, "w:outlineLvl", "w:val") == str(level - 1), f"heading {level} has no outline level {level - 1}")
        if not zh:
            check(bold(h), f"English heading {level} is not bold")
    for level in (1, 2):
        check(f"Heading {level}" in used, f"no heading of level {level} in the document")

    # Every run with text: Times New Roman for Latin, the language's East Asian font.
    runs = re.findall(r"<w:r>(.*?)</w:r>", body)
    bad = 0
    for r in runs:
        if "<w:t" not in r:
            continue
        f = re.search(r"<w:rFonts ([^>]*)/>", r)
        a = dict(re.findall(r'w:(\w+)="([^"]*)"', f.group(1))) if f else {}
        ea = a.get("eastAsia", "")
        ok = a.get("ascii") == TNR and a.get("hAnsi") == TNR
        ok = ok and (any(n in ea for n in CJK_NAMES) if zh else ea == EN_EAST_ASIA)
        bad += not ok
    check(bad == 0, f"{bad} of {len(runs)} runs lack Times New Roman ascii/hAnsi or the language's East Asian font")
    if not zh:
        check(not any(n in body for n in CJK_NAMES if n != EN_EAST_ASIA),
              "the English document names a Chinese font other than 宋体")

    # Fallbacks for the Chinese fonts.
    fonts_xml = raw.get("word/fontTable.xml", "")
    for font, alt in re.findall(r'<w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"/>', fonts_xml):
        if any(n in font for n in CJK_NAMES):
            names_ = alt.split(",")
            check(len(names_) >= 2 and any(n.startswith("Noto ") and n.endswith("CJK SC") for n in names_),
                  f"font {font} falls back to {alt}, no Windows name and Noto CJK SC face")

    # 落款.
    sig = [p for p in re.findall(r"<w:p>(.*?)</w:p>", body) if '<w:pStyle w:val="Signature"/>' in p]
    if sig:
        check(len(sig) == 3 and "<w:t" not in sig[0], f"the 落款 is {len(sig)} paragraphs, not a blank line, organisation and date")
        for i, p in enumerate(sig[:-1]):
            check("<w:keepNext/>" in p, f"落款 paragraph {i + 1} does not keep with the next")
        rights, lefts = [], []
        for p in sig[1:]:
            ind = re.search(r"<w:ind ([^>]*)/>", p)
            a = dict(re.findall(r'w:(\w+)="([^"]*)"', ind.group(1))) if ind else {}
            if '<w:jc w:val="left"/>' in p:
                # The Chinese lines placed from the left (LibreOffice spaces
                # Chinese and digits apart, which moved a right-aligned date).
                chars, tw = int(a.get("leftChars", "-1")), int(a.get("left", "-1"))
                check(abs(chars * 320 - tw * 100) <= 200, f"落款 left indent says {chars / 100} characters and {tw} twips")
                text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
                lefts.append((tw, chars, text))
                continue
            chars, tw = int(a.get("rightChars", "-1")), int(a.get("right", "-1"))
            check(chars * 320 == tw * 100, f"落款 right indent says {chars / 100} characters and {tw} twips")
            rights.append(chars)
        if len(rights) == 2:
            check(rights[0] == 200, f"the organisation is {rights[0] / 100} characters from the margin, not 2")
            check(rights[1] == 200 if not zh else rights[1] >= 200,
                  f"the date is {rights[1] / 100} characters from the margin")
        if len(lefts) == 2:
            check(zh, "the English 落款 is placed from the left")
            # A character of the document grid: 28 to the 156 mm line.
            pitch = 8845 / 28
            (org_tw, org_chars, org), (_, date_chars, _) = lefts
            if org and all(ord(c) > 0x2e80 for c in org):
                gap = (8845 - org_tw - len(org) * pitch) / pitch
                check(abs(gap - 2) < 0.1, f"the organisation is {gap:.2f} characters from the margin, not 2")
            check(date_chars - org_chars == 200 or date_chars > org_chars,
                  f"the date starts {(date_chars - org_chars) / 100} characters right of the organisation, not 2")
        st = re.search(r'w:styleId="Signature".*?</w:style>', styles_xml, re.S)
        check(st is not None and '<w:jc w:val="right"/>' in st.group(0) and "w:rightChars" not in st.group(0),
              "the Signature style is not right-aligned, or sets an indent of its own")

    # Footers and page numbers.
    rels = raw["word/_rels/document.xml.rels"]
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    refs = dict(re.findall(r'<w:footerReference w:type="(\w+)" r:id="(rId\d+)"/>', body))
    for kind, align in (("default", "right"), ("even", "left")):
        part = "word/" + targets.get(refs.get(kind, ""), "?")
        xml = raw.get(part, "")
        if check(xml, f"no {kind} footer part"):
            check(re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>|w:instr=\"\s*PAGE\s*\"", xml) is not None,
                  f"{kind} footer has no PAGE field")
            check("— " in xml and " —" in xml, f"{kind} footer page number is not between em dashes")
            check(f'<w:jc w:val="{align}"/>' in xml, f"{kind} footer is not {align}-aligned")
    check("<w:evenAndOddHeaders/>" in raw.get("word/settings.xml", ""), "settings.xml lacks w:evenAndOddHeaders")
    check("<w:mirrorMargins/>" in raw.get("word/settings.xml", ""), "settings.xml lacks w:mirrorMargins (two-sided)")

    # Charts.
    types = raw["[Content_Types].xml"]
    chart_ids = re.findall(r'<c:chart [^>]*r:id="(rId\d+)"', body)
    if want_charts is None:
        check(len(chart_ids) >= 1, "no chart in document.xml")
    else:
        check(len(chart_ids) == want_charts, f"{len(chart_ids)} charts, not {want_charts}")
    for rid in chart_ids:
        rel = re.search(rf'<Relationship Id="{rid}" Type="([^"]+)" Target="([^"]+)"', rels)
        if not check(rel is not None, f"chart {rid} has no relationship"):
            continue
        part = "word/" + rel.group(2)
        check(rel.group(1).endswith("/chart"), f"{rid} is not a chart relationship")
        check(part in names, f"{part} is not in the package")
        check(f'PartName="/{part}"' in types, f"{part} has no content type")
        check("<c:numCache>" in raw.get(part, "") and "<c:v>" in raw.get(part, ""), f"{part} holds no cached values")
        # An embedded workbook (for Edit Data) is optional; one that is named must be there.
        crels = raw.get(part.replace("charts/", "charts/_rels/") + ".rels", "")
        for target in re.findall(r'Target="\.\./([^"]+)"', crels):
            check("word/" + target in names, f"{part}'s workbook word/{target} is not in the package")

    if problems:
        print(f"{path}: not laid out as GB/T 9704 requires:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(f"{path} ({lang}): A4, margins 37/35/28/26 mm, 22 x 28 grid, title, body and 4 heading levels, "
          f"{len(runs)} runs in Times New Roman, page numbers on odd and even pages, mirrored margins, "
          f"{'a 落款' if sig else 'no 落款'}, {len(chart_ids)} charts: all as required")
    return 0


if __name__ == "__main__":
    sys.exit(main())
