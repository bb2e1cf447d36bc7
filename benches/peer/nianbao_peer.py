#!/usr/bin/env python3
"""nianbao's job, done the way a competent Python user would do it.

The benchmark peer of nianbao (issue 12): reads a nianbao project (nianbao.toml,
data/metrics.toml, data/<year>/{figures,targets,summary,plan}.toml), computes every
metric with decimal.Decimal, runs the [[checks]], judges the targets, renders the
narrative texts and the report with Jinja2 (the templates in templates/ beside this
file are translations of nianbao's Tera templates), turns the Markdown into HTML with
python-markdown, and writes for each year

    report.zh.md  report.en.md  report.html  metrics.json  metrics.csv

It draws no charts and writes no DOCX. Single process, no multiprocessing.

    python nianbao_peer.py --root PROJECT [--out DIR] [--year Y | --all]

Exit status: 0 success, 1 errors in the data (a failed check, a bad formula),
2 usage errors.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import io
import json
import os
import re
import sys
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path

import jinja2
import markdown

HERE = Path(__file__).resolve().parent

# Every value is a Decimal; 50 significant digits is far more than any report
# needs, and the results that terminate (sums, most products) are exact.
CTX = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN)
decimal.setcontext(CTX)
EXACT_DIGITS = 24  # significant digits of a non-terminating "exact" string, as nianbao

ROUNDING = {
    "half-away-from-zero": decimal.ROUND_HALF_UP,  # Decimal's HALF_UP is away from zero
    "half-up": decimal.ROUND_HALF_UP,
    "half-even": decimal.ROUND_HALF_EVEN,
}


class DataError(Exception):
    """An error in the project's data: reported, and nothing is written."""


# --------------------------------------------------------------------------
# Formulas: a tokenizer and a recursive-descent parser into tuples, and an
# evaluator over Decimal. No eval() of user text.
#
#   expr    := or
#   or      := and ("or" and)*
#   and     := not ("and" not)*
#   not     := "not" not | cmp
#   cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
#   sum     := product (("+" | "-") product)*
#   product := unary (("*" | "/") unary)*
#   unary   := "-" unary | "+" unary | atom
#   atom    := number | name ("." name)* | func "(" args ")" | "(" expr ")"
# --------------------------------------------------------------------------

TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
      | (?P<op>==|!=|<=|>=|[-+*/()<>,])
    )""",
    re.VERBOSE,
)
FUNCS = {"sum", "min", "max", "abs"}
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise DataError(f"formula `{text}`: unexpected character at column {pos + 1}")
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "name" and value in ("and", "or", "not"):
            kind = "op"
        tokens.append((kind, value))
        pos = m.end()
    tokens.append(("end", ""))
    return tokens


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, value=None):
        tok = self.tokens[self.i]
        if value is not None and tok[1] != value:
            raise DataError(f"formula `{self.text}`: expected `{value}`, found `{tok[1] or 'the end'}`")
        self.i += 1
        return tok

    def parse(self):
        node = self.or_()
        if self.peek()[0] != "end":
            raise DataError(f"formula `{self.text}`: unexpected `{self.peek()[1]}`")
        return node

    def or_(self):
        node = self.and_()
        while self.peek() == ("op", "or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek() == ("op", "and"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.peek() == ("op", "not"):
            self.take()
            return ("not", self.not_())
        return self.cmp()

    def cmp(self):
        node = self.sum()
        if self.peek()[0] == "op" and self.peek()[1] in COMPARISONS:
            op = self.take()[1]
            node = (op, node, self.sum())
        return node

    def sum(self):
        node = self.product()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = (op, node, self.product())
        return node

    def product(self):
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = (op, node, self.unary())
        return node

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        if self.peek() == ("op", "+"):
            self.take()
            return self.unary()
        return self.atom()

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", Decimal(value.replace("_", "")))
        if kind == "name":
            if value in FUNCS and self.peek() == ("op", "("):
                self.take("(")
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.or_())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.or_())
                self.take(")")
                return ("call", value, args)
            return ("name", tuple(value.split(".")))
        if (kind, value) == ("op", "("):
            node = self.or_()
            self.take(")")
            return node
        raise DataError(f"formula `{self.text}`: unexpected `{value or 'end of formula'}`")


class Undefined(Exception):
    """A division by zero somewhere in the formula: the value is undefined."""


def lookup(figures: dict, path: tuple):
    node = figures
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def sum_node(node) -> Decimal:
    if isinstance(node, dict):
        return sum((sum_node(v) for v in node.values()), Decimal(0))
    return node


def describe(node) -> str:
    if node[0] == "name":
        return f"the figure `{'.'.join(node[1])}` is zero" if len(node[1]) > 1 else f"`{node[1][0]}` is zero"
    return "a divisor is zero"


class Evaluator:
    """Evaluates parsed formulas of one year: figures and the metrics computed so far."""

    def __init__(self, figures: dict, metric_names, metric_value):
        self.figures = figures
        self.metric_names = metric_names
        self.metric_value = metric_value  # name -> Decimal | None

    def num(self, node) -> Decimal:
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "name":
            path = node[1]
            if len(path) == 1 and path[0] in self.metric_names:
                value = self.metric_value(path[0])
                if value is None:
                    raise Undefined(f"metric `{path[0]}` is undefined")
                return value
            value = lookup(self.figures, path)
            if not isinstance(value, Decimal):
                raise DataError(f"`{'.'.join(path)}` is not a known metric or figure")
            return value
        if kind == "neg":
            return -self.num(node[1])
        if kind == "call":
            func, args = node[1], node[2]
            if func == "sum":
                arg = args[0]
                if arg[0] != "name":
                    return self.num(arg)
                table = lookup(self.figures, arg[1])
                if table is None:
                    raise DataError(f"`{'.'.join(arg[1])}` is not a figure table")
                return sum_node(table)
            values = [self.num(a) for a in args]
            if func == "abs":
                return abs(values[0])
            return min(values) if func == "min" else max(values)
        if kind in ("+", "-", "*", "/"):
            a, b = self.num(node[1]), self.num(node[2])
            if kind == "+":
                return a + b
            if kind == "-":
                return a - b
            if kind == "*":
                return a * b
            if b == 0:
                raise Undefined(describe(node[2]))
            return a / b
        raise DataError("a comparison used as a number")

    def truth(self, node):
        """True, False, or None when undefined."""
        kind = node[0]
        if kind == "not":
            v = self.truth(node[1])
            return None if v is None else not v
        if kind in ("and", "or"):
            left, right = self.truth(node[1]), self.truth(node[2])
            if kind == "and":
                if left is False or right is False:
                    return False
                return None if None in (left, right) else True
            if left is True or right is True:
                return True
            return None if None in (left, right) else False
        if kind in COMPARISONS:
            try:
                a, b = self.num(node[1]), self.num(node[2])
            except Undefined:
                return None
            return {
                "==": a == b, "!=": a != b, "<": a < b,
                "<=": a <= b, ">": a > b, ">=": a >= b,
            }[kind]
        raise DataError("a number used as true or false")


# --------------------------------------------------------------------------
# Numbers as text: rounded once, grouped in English, with units.
# --------------------------------------------------------------------------

def to_fixed(value: Decimal, decimals: int, rounding: str) -> str:
    """The value rounded to `decimals` places, exactly that many, never -0."""
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)
    if q == 0:
        q = abs(q)
    return f"{q:f}"


def exact_string(value: Decimal, inexact: bool = False) -> str:
    """The unrounded value as nianbao writes `exact`: all its digits when the
    computation was exact (the decimal expansion terminated), else EXACT_DIGITS
    significant digits, truncated."""
    n = value.normalize()
    if not inexact:
        return f"{n:f}" if n != n.to_integral_value() else f"{n.quantize(Decimal(1)):f}"
    places = EXACT_DIGITS - n.adjusted() - 1
    t = n.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_DOWN)
    return f"{t:f}"


def group_thousands(plain: str) -> str:
    sign, rest = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, dot, frac = rest.partition(".")
    if len(whole) <= 3:
        return plain
    return f"{sign}{int(whole):,}{dot}{frac}"


def number(plain: str, lang: str) -> str:
    return group_thousands(plain) if lang == "en" else plain


UNDEFINED = "—"


def with_unit(num: str, unit: str, lang: str) -> str:
    if num == UNDEFINED or not unit:
        return num
    if unit in ("%", "‰", "％", "‱") or lang == "zh":
        return f"{num}{unit}"
    return f"{num} {unit}"


EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]


def period_text(start: dt.date, end: dt.date, lang: str) -> str:
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if lang == "zh":
        if whole:
            return f"{start.year}年{start.month}月至{end.year}年{end.month}月"
        return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    if whole:
        return f"{EN_MONTHS[start.month - 1]} {start.year} – {EN_MONTHS[end.month - 1]} {end.year}"
    return (f"{start.day} {EN_MONTHS[start.month - 1]} {start.year} – "
            f"{end.day} {EN_MONTHS[end.month - 1]} {end.year}")


def date_text(d: dt.date, lang: str) -> str:
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


CN_DIGITS = "零一二三四五六七八九"


def cn_num(n) -> str:
    n = max(int(n), 0)
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + ("" if n == 10 else CN_DIGITS[n - 10])
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + ("" if n % 10 == 0 else CN_DIGITS[n % 10])
    return str(n)


# --------------------------------------------------------------------------
# Fixed wording, per language (as nianbao's `t`).
# --------------------------------------------------------------------------

def labels(lang: str, year: int) -> dict:
    nxt = year + 1
    if lang == "zh":
        return {
            "indicators": "主要指标完成情况", "targets": "目标完成情况",
            "summary": f"{year}年工作总结", "shortcomings": "存在问题",
            "plan": f"{nxt}年工作计划", "guiding_principle": "指导思想",
            "key_items": "重点工作", "plan_targets": f"{nxt}年主要目标",
            "metric": "指标", "value": "数值", "target": "目标", "actual": "实际",
            "this_year": "本年", "last_year": "上年", "change": "增减", "no_change": "持平",
            "result": "完成情况", "met": "✓ 完成", "not_met": "✗ 未完成",
            "unknown": "— 无法判断", "period": "统计时段", "at_least": "不低于",
            "at_most": "不高于", "between": "至", "untranslated": "（未翻译）",
            "trends": "历年趋势", "language": "语言", "both": "双语",
            "banner_preliminary": "本报告数据为快报数，以统计年鉴公布数为准。",
            "banner_draft": "本年数据尚未定稿，请勿引用。",
            "banner_title_preliminary": "快报", "banner_title_draft": "草稿",
        }
    return {
        "indicators": "Key indicators", "targets": "Targets",
        "summary": f"Work in {year}", "shortcomings": "Shortcomings",
        "plan": f"Plan for {nxt}", "guiding_principle": "Guiding principle",
        "key_items": "Key tasks", "plan_targets": f"Targets for {nxt}",
        "metric": "Indicator", "value": "Value", "target": "Target", "actual": "Actual",
        "this_year": "This year", "last_year": "Last year", "change": "Change",
        "no_change": "no change",
        "result": "Result", "met": "✓ met", "not_met": "✗ not met",
        "unknown": "— undetermined", "period": "Period", "at_least": "at least",
        "at_most": "at most", "between": "to", "untranslated": "(untranslated)",
        "trends": "Trends", "language": "Language", "both": "Both",
        "banner_preliminary": "The figures in this report are preliminary and may be revised by the statistical yearbook.",
        "banner_draft": "The figures of this year are not final. Do not quote.",
        "banner_title_preliminary": "Preliminary", "banner_title_draft": "DRAFT",
    }


# --------------------------------------------------------------------------
# The project.
# --------------------------------------------------------------------------

def read_toml(path: Path) -> dict:
    # Decimals in TOML are read as the decimals they are written as, not floats.
    return tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def to_decimal(v):
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise DataError(f"not a number: {v!r}")
    return Decimal(v)


def figures_of(table: dict) -> dict:
    """Figures as nested dicts of Decimals."""
    out = {}
    for key, value in table.items():
        out[key] = figures_of(value) if isinstance(value, dict) else to_decimal(value)
    return out


def text_of(t, lang):
    """(text, is_fallback) of a { zh, en } table, as nianbao's get_or_fallback."""
    if not t:
        return "", True
    if t.get(lang) is not None:
        return t[lang], False
    other = t.get("zh") if t.get("zh") is not None else t.get("en")
    return (other, True) if other is not None else ("", True)


class Metric:
    def __init__(self, name: str, table: dict):
        self.name = name
        self.zh = table.get("zh")
        self.en = table.get("en")
        self.label = {"zh": self.zh or self.en or name, "en": self.en or self.zh or name}
        self.formula_text = table.get("formula")
        self.formula = Parser(self.formula_text).parse() if self.formula_text else None
        unit = table.get("unit", "")
        self.unit = {"zh": unit, "en": unit} if isinstance(unit, str) else {
            "zh": unit.get("zh", ""), "en": unit.get("en", "")}
        self.decimals = int(table.get("decimals", 0))
        self.better = table.get("better")
        self.chart = bool(table.get("chart", False))
        self.is_rate = self.unit["zh"] in ("%", "‰", "％")


class Project:
    def __init__(self, root: Path):
        self.root = root
        config = read_toml(root / "nianbao.toml")
        self.organisation = config.get("organisation", {})
        self.title = config.get("title")
        mode = config.get("options", {}).get("rounding", "half-away-from-zero")
        if mode not in ROUNDING:
            raise DataError(f"nianbao.toml: unknown rounding `{mode}`")
        self.rounding_name = "half-even" if mode == "half-even" else "half-away-from-zero"
        self.rounding = ROUNDING[mode]
        catalogue = read_toml(root / "data" / "metrics.toml")
        self.metrics = {name: Metric(name, t) for name, t in catalogue.get("metrics", {}).items()}
        self.checks = [
            (Parser(c["rule"]).parse(), c.get("en") or c.get("zh") or c["rule"])
            for c in catalogue.get("checks", [])
        ]

    def years(self) -> list[int]:
        data = self.root / "data"
        return sorted(int(p.name) for p in data.iterdir()
                      if p.is_dir() and re.fullmatch(r"\d{4}", p.name) and (p / "figures.toml").is_file())

    def title_of(self, year: int, lang: str) -> str:
        if self.title:
            pattern = text_of(self.title, lang)[0]
        else:
            pattern = "{year}年工作总结及{next}年工作计划" if lang == "zh" else "{year} Work Summary and {next} Work Plan"
        return pattern.replace("{year}", str(year)).replace("{next}", str(year + 1))


class Year:
    """One year's data, computed."""

    def __init__(self, project: Project, year: int):
        self.project = project
        self.year = year
        folder = project.root / "data" / str(year)
        raw = read_toml(folder / "figures.toml")
        period = raw.get("period", {})
        self.start = period.get("start", dt.date(year, 1, 1))
        self.end = period.get("end", dt.date(year, 12, 31))
        source = raw.get("source", {})
        self.status = source.get("status", "final")
        self.source_notes = {k: v for k, v in source.items() if k != "status" and isinstance(v, str)}
        self.figures = figures_of({k: v for k, v in raw.items() if k not in ("period", "source")})
        self.targets_def = read_toml(folder / "targets.toml") if (folder / "targets.toml").is_file() else {}
        self.summary = read_toml(folder / "summary.toml") if (folder / "summary.toml").is_file() else None
        self.plan = read_toml(folder / "plan.toml") if (folder / "plan.toml").is_file() else None
        self.warnings: list[str] = []
        self.compute()

    def compute(self):
        project = self.project
        values: dict[str, Decimal | None] = {}
        inexact: dict[str, bool] = {}
        busy: set[str] = set()
        flags = CTX.flags

        def metric_value(name):
            # Decimal raises the Inexact flag when a result had to be rounded at the
            # context precision (1/3): such a value's `exact` shows 24 digits. The
            # flag of a metric covers the metrics it is built on.
            if name in values:
                if inexact[name]:
                    flags[decimal.Inexact] = True
                return values[name]
            metric = project.metrics[name]
            if name in busy:
                raise DataError(f"metric `{name}` depends on itself")
            busy.add(name)
            outer, flags[decimal.Inexact] = flags[decimal.Inexact], False
            try:
                values[name] = evaluator.num(metric.formula) if metric.formula else None
            except Undefined as u:
                self.warnings.append(f"metric `{name}` is undefined in {self.year}: {u}")
                values[name] = None
            inexact[name] = flags[decimal.Inexact]
            flags[decimal.Inexact] = outer or inexact[name]
            busy.discard(name)
            return values[name]

        evaluator = Evaluator(self.figures, project.metrics, metric_value)
        for name in project.metrics:
            metric_value(name)
        self.values = {name: values[name] for name in project.metrics}
        self.inexact = inexact
        for rule, message in project.checks:
            ok = evaluator.truth(rule)
            if ok is False:
                raise DataError(f"check failed in {self.year}: {message}")
            if ok is None:
                self.warnings.append(f"check could not be evaluated in {self.year}: {message}")

        def bounds(t):
            lo, hi = t.get("min"), t.get("max")
            return (None if lo is None else to_decimal(lo)), (None if hi is None else to_decimal(hi))

        self.targets = []
        for name, t in self.targets_def.items():
            if name not in project.metrics:
                continue
            lo, hi = bounds(t)
            v = self.values[name]
            met = None if v is None else ((lo is None or v >= lo) and (hi is None or v <= hi))
            self.targets.append({"metric": name, "min": lo, "max": hi, "met": met})
        self.plan_targets = []
        for name, t in ((self.plan or {}).get("targets") or {}).items():
            if name in project.metrics:
                lo, hi = bounds(t)
                self.plan_targets.append({"metric": name, "min": lo, "max": hi, "met": None})


# --------------------------------------------------------------------------
# The template context (what nianbao's templates see), per language.
# --------------------------------------------------------------------------

def change_text(m: Metric, value, before, rounding, lang) -> str:
    """This year's value less last year's, both at the metric's decimals, signed;
    a rate changes by percentage (or per-mille) points."""
    if value is None or before is None:
        return UNDEFINED
    diff = Decimal(to_fixed(value, m.decimals, rounding)) - Decimal(to_fixed(before, m.decimals, rounding))
    sign = "+" if diff > 0 else "-" if diff < 0 else ""
    num = number(to_fixed(abs(diff), m.decimals, rounding), lang)
    points = {"%": ("个百分点", "pp"), "％": ("个百分点", "pp"), "‰": ("个千分点", "‰ pts")}
    if m.unit["zh"] in points:
        zh, en = points[m.unit["zh"]]
        return f"{sign}{num}{zh}" if lang == "zh" else f"{sign}{num} {en}"
    return sign + with_unit(num, m.unit[lang], lang)


def metric_record(m: Metric, value, inexact, rounding, lang, before=None) -> dict:
    num = number(to_fixed(value, m.decimals, rounding), lang) if value is not None else UNDEFINED
    prev = number(to_fixed(before, m.decimals, rounding), lang) if before is not None else UNDEFINED
    return {
        "previous": with_unit(prev, m.unit[lang], lang),
        "change": change_text(m, value, before, rounding, lang),
        "name": m.name,
        "label": m.label[lang],
        "number": num,
        "display": with_unit(num, m.unit[lang], lang),
        "value": None if value is None else to_fixed(value, m.decimals, rounding),
        "exact": None if value is None else exact_string(value, inexact),
        "unit": m.unit[lang],
        "decimals": m.decimals,
        "defined": value is not None,
        "better": m.better,
        "is_rate": m.is_rate,
    }


def target_record(project: Project, y: Year, t: dict, lang: str, t_labels: dict) -> dict:
    m = project.metrics[t["metric"]]
    sep = "" if lang == "zh" else " "

    def bound(v):
        return with_unit(number(exact_string(v), lang), m.unit[lang], lang)

    lo, hi = t["min"], t["max"]
    if lo is not None and hi is not None:
        target = f"{bound(lo)}{sep}{t_labels['between']}{sep}{bound(hi)}"
    elif lo is not None:
        target = f"{t_labels['at_least']}{sep}{bound(lo)}"
    elif hi is not None:
        target = f"{t_labels['at_most']}{sep}{bound(hi)}"
    else:
        target = ""
    result = {True: t_labels["met"], False: t_labels["not_met"], None: t_labels["unknown"]}[t["met"]]
    value = y.values[m.name]
    num = number(to_fixed(value, m.decimals, project.rounding), lang) if value is not None else UNDEFINED
    return {
        "name": m.name,
        "label": m.label[lang],
        "target": target,
        "min": None if lo is None else exact_string(lo),
        "max": None if hi is None else exact_string(hi),
        "actual": with_unit(num, m.unit[lang], lang),
        "met": t["met"],
        "result": result,
    }


def figure_tree(figures: dict, lang):
    out = {}
    for k, v in figures.items():
        if isinstance(v, dict):
            out[k] = figure_tree(v, lang)
        else:
            plain = exact_string(v)
            if lang:
                out[k] = number(plain, lang)
            else:
                # As nianbao's `figures`: a whole number is a number, so a template
                # may compute with it (`figures.x.month - 1`); others stay text.
                out[k] = int(plain) if re.fullmatch(r"-?\d+", plain) else plain
    return out


def base_context(project: Project, y: Year, years: list[int], lang: str, prev=None) -> dict:
    t = labels(lang, y.year)
    records = [metric_record(m, y.values[name], y.inexact[name], project.rounding, lang,
                             prev.values.get(name) if prev else None)
               for name, m in project.metrics.items()]
    targets = [target_record(project, y, tr, lang, t) for tr in y.targets]
    unmet = [r for r, tr in zip(targets, y.targets) if tr["met"] is not True]
    banner_title, banner = None, None
    if y.status == "preliminary":
        banner_title, banner = t["banner_title_preliminary"], t["banner_preliminary"]
    elif y.status == "draft":
        banner_title, banner = t["banner_title_draft"], t["banner_draft"]
    return {
        "lang": lang,
        "year": y.year,
        "next_year": y.year + 1,
        "prev_year": prev.year if prev else None,
        "years": years,
        "org": text_of(project.organisation, lang)[0],
        "title": project.title_of(y.year, lang),
        "period": {
            "start": y.start.isoformat(),
            "end": y.end.isoformat(),
            "start_text": date_text(y.start, lang),
            "end_text": date_text(y.end, lang),
            "text": period_text(y.start, y.end, lang),
        },
        "status": y.status,
        "banner": banner,
        "banner_title": banner_title,
        "source": dict(y.source_notes),
        "f": figure_tree(y.figures, lang),
        "figures": figure_tree(y.figures, None),
        "m": {r["name"]: r["display"] for r in records},
        "n": {r["name"]: r["number"] for r in records},
        "metrics": records,
        "metric": {r["name"]: r for r in records},
        "targets": targets,
        "target": {r["name"]: r for r in targets},
        # The claims a text may make about the targets, computed, never written.
        "targets_all_met": bool(targets) and not unmet,
        "targets_unmet": unmet,
        "plan_targets": [target_record(project, y, tr, lang, t) for tr in y.plan_targets],
        "t": t,
        "charts": [],  # the peer draws no charts
    }


def finish_text(rendered: str, fallback: bool, lang: str) -> str:
    """Lines of a paragraph joined, raw HTML shown as text, a fallback marked."""
    sep = "" if lang == "zh" else " "
    paragraphs = []
    for p in rendered.split("\n\n"):
        joined = sep.join(line.strip() for line in p.splitlines() if line.strip())
        if joined:
            paragraphs.append(joined)
    text = "\n\n".join(paragraphs).replace("<", "&lt;").replace(">", "&gt;")
    if fallback:
        text = ("*（未翻译）* " if lang == "zh" else "*(untranslated)* ") + text
    return text


def compile_text(env: jinja2.Environment, text: str) -> jinja2.Template:
    """A narrative text as a template: compiled afresh for every year and language,
    as nianbao renders each text (Tera's render_str). `--cache-texts` keeps the
    compiled templates by text instead, which the synthetic benchmark projects
    (the same narrative every year) reward far more than a real project would."""
    if TEXT_CACHE is not None:
        template = TEXT_CACHE.get(text)
        if template is None:
            template = TEXT_CACHE[text] = env.from_string(text)
        return template
    return env.from_string(text)


TEXT_CACHE: dict | None = None


def narrative(env: jinja2.Environment, y: Year, lang: str, ctx: dict) -> tuple:
    """The year's texts rendered as templates against the context: (summary, plan)."""

    def one(t):
        if t is None:
            return None

        def written(s):
            return s if isinstance(s, str) and s.strip() else None

        mine = written(t.get(lang))
        other = written(t.get("zh")) or written(t.get("en"))
        if mine is not None:
            text, fallback = mine, False
        elif other is not None:
            text, fallback = other, True
        elif "zh" in t or "en" in t:
            return "*（待撰写）*" if lang == "zh" else "*(to be written)*"
        else:
            return None
        try:
            out = compile_text(env, text).render(ctx)
        except jinja2.TemplateError as e:
            raise DataError(f"{y.year}: a narrative text does not render: {e}") from e
        return finish_text(out, fallback, lang)

    def section(s):
        return {
            "title": one(s.get("title")),
            "text": one(s.get("text")),
            "points": [one(p) for p in s.get("points", [])],
        }

    summary = plan = None
    if y.summary is not None:
        s = y.summary
        summary = {
            "opening": one(s.get("opening")),
            "indicators": one(s.get("indicators")),
            "sections": [section(x) for x in s.get("sections", [])],
            "shortcomings": one(s.get("shortcomings")),
        }
    if y.plan is not None:
        plan = {
            "guiding_principle": one(y.plan.get("guiding_principle")),
            "items": [section(x) for x in y.plan.get("items", [])],
        }
    return summary, plan


def tidy_markdown(md: str) -> str:
    """Runs of blank lines collapsed, one final newline (as nianbao)."""
    out, blank = [], 0
    for line in md.splitlines():
        line = line.rstrip()
        if not line:
            blank += 1
            if blank > 1 or not out:
                continue
        else:
            blank = 0
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# metrics.json and metrics.csv
# --------------------------------------------------------------------------

def metrics_json(project: Project, y: Year) -> str:
    metrics = {}
    targets = {t["metric"]: t for t in y.targets}
    for name, m in project.metrics.items():
        v = y.values[name]
        entry = {
            "value": None if v is None else to_fixed(v, m.decimals, project.rounding),
            "exact": None if v is None else exact_string(v, y.inexact[name]),
            "unit": {"zh": m.unit["zh"], "en": m.unit["en"]},
            "decimals": m.decimals,
            "zh": m.zh,
            "en": m.en,
        }
        if name in targets:
            t = targets[name]
            entry["target"] = {
                "min": None if t["min"] is None else exact_string(t["min"]),
                "max": None if t["max"] is None else exact_string(t["max"]),
                "met": t["met"],
            }
        metrics[name] = entry
    doc = {
        "year": y.year,
        "period": {"start": y.start.isoformat(), "end": y.end.isoformat()},
        "status": y.status,
        "rounding": project.rounding_name,
        "metrics": metrics,
    }
    if y.plan_targets:
        doc["next_year_targets"] = {
            t["metric"]: {
                "min": None if t["min"] is None else exact_string(t["min"]),
                "max": None if t["max"] is None else exact_string(t["max"]),
            }
            for t in y.plan_targets
        }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def metrics_csv(project: Project, y: Year) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["year", "metric", "zh", "en", "value", "exact", "unit_zh", "unit_en",
                "decimals", "target_min", "target_max", "target_met"])
    targets = {t["metric"]: t for t in y.targets}
    for name, m in project.metrics.items():
        v = y.values[name]
        t = targets.get(name)
        w.writerow([
            y.year, name, m.zh or "", m.en or "",
            "" if v is None else to_fixed(v, m.decimals, project.rounding),
            "" if v is None else exact_string(v, y.inexact[name]),
            m.unit["zh"], m.unit["en"], m.decimals,
            "" if not t or t["min"] is None else exact_string(t["min"]),
            "" if not t or t["max"] is None else exact_string(t["max"]),
            "" if not t or t["met"] is None else str(t["met"]).lower(),
        ])
    return buf.getvalue()


# --------------------------------------------------------------------------
# Rendering and writing
# --------------------------------------------------------------------------

class ReportEnvironment(jinja2.Environment):
    """Tera semantics for `a.b`: a key of a mapping first (so `plan.items` is the
    plan's items, not dict.items), an attribute otherwise."""

    def getattr(self, obj, attribute):
        if isinstance(obj, dict):
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment() -> jinja2.Environment:
    env = ReportEnvironment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"], default_for_string=False),
        undefined=jinja2.StrictUndefined,  # an unknown name is an error, never a blank
        keep_trailing_newline=True,
    )
    env.filters["cn_num"] = cn_num
    env.filters["cell"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")

    @jinja2.pass_context
    def numeral(context, n):
        return cn_num(n) if context.get("lang") == "zh" else str(n)

    env.filters["numeral"] = numeral
    return env


def write_atomic(path: Path, text: str):
    """Write to a temporary file beside `path`, flushed to disk, then rename it
    into place: the usual recipe (nianbao flushes its staged files with one
    syncfs on Linux, an fsync per file elsewhere)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".peer-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def render_year(env, md, project: Project, y: Year, years: list[int], prev=None) -> dict:
    editions = []
    files = {}
    for lang in ("zh", "en"):
        ctx = base_context(project, y, years, lang, prev)
        summary, plan = narrative(env, y, lang, ctx)
        ctx["summary"], ctx["plan"] = summary, plan
        text = tidy_markdown(env.get_template("report.md").render(ctx))
        files[f"report.{lang}.md"] = text
        md.reset()
        editions.append({
            "lang": lang,
            "html_lang": "zh-CN" if lang == "zh" else "en",
            "title": project.title_of(y.year, lang),
            "body": md.convert(text),
            "charts": "",
            "t": ctx["t"],
        })
    files["report.html"] = env.get_template("report.html").render(
        year=y.year, status=y.status,
        title_zh=project.title_of(y.year, "zh"), title_en=project.title_of(y.year, "en"),
        editions=editions,
    )
    files["metrics.json"] = metrics_json(project, y)
    files["metrics.csv"] = metrics_csv(project, y)
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=Path("."))
    ap.add_argument("--out", type=Path)
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--year", type=int)
    group.add_argument("--all", action="store_true")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("--cache-texts", action="store_true",
                    help="compile each distinct narrative text once (not the default)")
    args = ap.parse_args(argv)
    if args.cache_texts:
        global TEXT_CACHE
        TEXT_CACHE = {}
    root = args.root
    out = args.out or root / "output"
    try:
        project = Project(root)
        years = project.years()
        if not years:
            print(f"error: {root}/data has no year folder", file=sys.stderr)
            return 2
        if args.all:
            selected = years
        elif args.year is not None:
            if args.year not in years:
                print(f"error: there is no year {args.year} in {root}/data", file=sys.stderr)
                return 2
            selected = [args.year]
        else:
            selected = [years[-1]]
        env = make_environment()
        md = markdown.Markdown(extensions=["tables"])
        # Everything is rendered before anything is written: a failed build
        # leaves the previous output as it was.
        rendered = {}
        last = None  # the year before, for the comparison (computed once with --all)
        for year in selected:
            y = Year(project, year)
            for w in y.warnings:
                print(f"warning: {w}", file=sys.stderr)
            prev = last if last is not None and last.year == year - 1 else None
            if prev is None and year - 1 in years:
                try:
                    prev = Year(project, year - 1)
                except DataError:
                    prev = None  # a broken year before: no comparison
            rendered[year] = render_year(env, md, project, y, years, prev)
            last = y
    except DataError as e:
        print(f"error: {e}; nothing was written", file=sys.stderr)
        return 1
    for year, files in rendered.items():
        folder = out / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            write_atomic(folder / name, text)
        if not args.quiet:
            print(f"built {year} → {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
