"""The probe's payloads (issue 10): Markdown images and links, Streamlit directives,
HTML, scripts — and a workbook that carries them in every place a file can: its sheet
name, units, case types, rounds, respondent types, items and cells."""
import re

from conftest import write_xlsx

IMAGE = "![f](http://127.0.0.1:9/x.png)"
LINK = "[點我](http://127.0.0.1:9/phish)"
ANCHOR = '<a href="http://127.0.0.1:9/a">案件</a>'
DIRECTIVE = ":red[紅字] :material/warning: $x^2$"
PAYLOADS = (IMAGE, LINK, ANCHOR, DIRECTIVE, "**粗體** _斜體_ `code`", "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">')
SHEET = "<b>表 __粗體__ _斜_ $y$ (1)"      # Excel allows no [ ] : * ? / \\ in a sheet name
ACTIVE = (re.compile(r"(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\((?!\s)"),   # an image Markdown would fetch
          re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(http"),             # a link
          re.compile(r"(?<!\\):(red|blue|green|orange|violet|gray|rainbow)\["),   # a colour directive
          re.compile(r"(?<!\\):material/"),
          re.compile(r"(?<!\\)\*\*粗體"), re.compile(r"(?<!\\)__粗體"), re.compile(r"<b>表"),
          # a bare address, which GitHub-flavoured Markdown links even when escaped
          re.compile(r"(?i)\b(?:https?|ftp)\\?:"), re.compile(r"(?i)\bwww\\?\."), re.compile(r"\w\\?@\w"))



def payload_workbook(path):
    case_header = ["年月", "單位", "案件類別", "申辦管道", "件數"]
    survey_header = ["填答日期", "服務據點", "洽辦業務項目", "服務內容", "洽公環境", "服務設備", "人員禮貌及服務態度", "整體滿意度",
                     "受訪者類型"]
    phone_header = ["測試日期", "受測單位", "測試類型", "梯次", "受測人員", "接聽速度", IMAGE[:20] + "(5分)", "總分"]
    return write_xlsx(path, {
        SHEET: [case_header, *[["113/0%d" % m, "第一課", p, "線上", 10 + m] for m in range(1, 4) for p in PAYLOADS]],
        "問卷": [survey_header, *[["113/05/0%d" % (i + 1), "本分局", 5, 4, 5, 4, 5, 4, p] for i, p in enumerate(PAYLOADS)]],
        "電話": [phone_header, *[["113/04/0%d" % (i + 1), "一課", "內部測試", p, LINK, 12, 4, 85]
                                for i, p in enumerate(PAYLOADS)]],
        "構面": [["年度", "構面", "項目", "配分", "自評分數"], [113, "基礎服務", ANCHOR, 100, 80]],
    })
