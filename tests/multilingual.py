"""A multilingual test corpus: short invented news articles, and the encodings
each can be written in.

Every article is written for these tests (invented events and places' news,
not copied from anywhere). `corpus()` yields (file name, bytes, article)
triples: each article in each of its encodings, among them Windows and ISO
code pages, the East Asian multi-byte encodings, UTF-16/UTF-32 without a
byte-order mark, and UTF-8 with a few stray Windows-1252 bytes.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    lang: str
    title: str
    paragraphs: tuple[str, ...]
    # Legacy (non-Unicode) encodings this language is written in.
    legacy: tuple[str, ...]

    @property
    def text(self) -> str:
        """The body as the tool writes it: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    def file_text(self, newline: str = "\n") -> str:
        return newline.join([self.title, "", *"\n\n".join(self.paragraphs).split("\n")]) + newline


ARTICLES = (
    Article(
        "zh",
        "城市新建图书馆周末开放",
        (
            "市文化局周三宣布，位于河畔的新图书馆将于本周六正式向公众开放。",
            "新馆共有五层，藏书约四十万册，另设儿童阅读区和自习室。",
            "负责人表示，开馆首月读者可以免费办理借书证，每人最多借阅十本。",
        ),
        ("gb18030", "gbk"),
    ),
    Article(
        "zh-Hant",
        "山區公路因大雨暫時封閉",
        (
            "連日豪雨導致山區公路多處坍方，交通部門週二決定暫時封閉部分路段。",
            "當地居民表示，通往鎮上的唯一道路中斷，學校也因此停課兩天。",
            "工程人員正在搶修，預計週末前可以恢復單線通車。",
        ),
        ("big5",),
    ),
    Article(
        "ja",
        "港町で秋祭りが三年ぶりに開催",
        (
            "北部の港町で、三年ぶりとなる秋祭りが土曜日に開かれた。",
            "会場には地元の漁師が用意した焼き魚の屋台が並び、朝から多くの家族連れでにぎわった。",
            "実行委員会によると、来場者は二日間で約二万人に上る見込みだという。",
        ),
        ("shift_jis", "euc_jp"),
    ),
    Article(
        "ko",
        "시립 합창단, 다음 달 무료 공연",
        (
            "시립 합창단이 다음 달 셋째 주 토요일에 시민 공원에서 무료 공연을 연다고 밝혔다.",
            "이번 공연에서는 민요와 현대 가곡 등 모두 열두 곡을 선보일 예정이다.",
            "관계자는 비가 올 경우 공연이 문화회관 대강당으로 옮겨진다고 말했다.",
        ),
        ("euc_kr",),
    ),
    Article(
        "ar",
        "افتتاح سوق جديد للمزارعين في وسط المدينة",
        (
            "افتتحت البلدية يوم الخميس سوقا أسبوعيا جديدا للمزارعين في الساحة القديمة وسط المدينة.",
            "وقال رئيس البلدية إن السوق سيفتح أبوابه كل يوم جمعة من الصباح حتى الظهر.",
            "ويأمل التجار أن يساعد المشروع على خفض أسعار الخضار والفواكه خلال فصل الشتاء.",
        ),
        ("cp1256", "iso8859_6"),
    ),
    Article(
        "fa",
        "بازگشایی کتاب‌خانه‌ی مرکزی پس از نوسازی",
        (
            "کتاب‌خانه‌ی مرکزی شهر پس از دو سال نوسازی از شنبه‌ی آینده دوباره به روی مردم باز می‌شود.",
            "مسئولان می‌گویند که ساختمان تازه جای بیشتری برای نشستن دارد و ساعت‌های کار هم طولانی‌تر شده است.",
            "به گفته‌ی مدیر کتاب‌خانه، کارت عضویت تا پایان ماه رایگان خواهد بود.",
        ),
        (),
    ),
    Article(
        "hi",
        "शहर में नई बस सेवा शुरू",
        (
            "नगर निगम ने सोमवार को पुराने बाज़ार और रेलवे स्टेशन के बीच नई बस सेवा शुरू की।",
            "अधिकारियों के अनुसार बसें हर पंद्रह मिनट पर चलेंगी और किराया दस रुपये रहेगा।",
            "यात्रियों ने कहा कि इससे सुबह के समय भीड़ कम होगी।",
        ),
        (),
    ),
    Article(
        "ru",
        "В городе открылся новый каток",
        (
            "В субботу в центральном парке открылся новый крытый каток, сообщила пресс-служба мэрии.",
            "Вход для школьников будет бесплатным до конца января, а взрослые заплатят двести рублей.",
            "«Мы ждали этого много лет», — сказала жительница соседнего района.",
        ),
        ("cp1251",),
    ),
    Article(
        "ru",
        "Зима пришла в северные районы раньше срока",
        (
            "Первый снег выпал в северных районах области уже в начале октября, сообщили синоптики.",
            "Дорожные службы вывели на трассы снегоуборочную технику и попросили водителей сменить шины.",
            "По прогнозу, до конца недели температура ночью опустится до минус десяти градусов.",
        ),
        ("koi8_r", "iso8859_5", "cp866"),
    ),
    Article(
        "uk",
        "У селі відремонтували міст через річку",
        (
            "Ремонт старого мосту через річку завершили на тиждень раніше, ніж планували.",
            "Тепер їздити через нього можуть і вантажівки, і рейсові автобуси.",
            "Голова громади подякував будівельникам і пообіцяв відкрити ще одну дорогу влітку.",
        ),
        ("cp1251", "koi8_u"),
    ),
    Article(
        "el",
        "Νέα ακτοπλοϊκή γραμμή για τα νησιά",
        (
            "Από τον Ιούνιο θα λειτουργήσει νέα ακτοπλοϊκή γραμμή που θα συνδέει το λιμάνι με τρία μικρά νησιά.",
            "Η εταιρεία ανακοίνωσε ότι τα δρομολόγια θα είναι καθημερινά κατά τους καλοκαιρινούς μήνες.",
            "Οι κάτοικοι των νησιών χαιρέτισαν την απόφαση.",
        ),
        ("cp1253", "iso8859_7"),
    ),
    Article(
        "he",
        "פארק חדש נפתח בשכונה הצפונית",
        (
            "העירייה פתחה השבוע פארק חדש בשכונה הצפונית, עם מגרש משחקים ושבילי אופניים.",
            "לדברי ראש העיר, הפארק נבנה בתוך שנה אחת בלבד.",
            "התושבים ביקשו להוסיף גם ברזיות ומקומות ישיבה מוצלים.",
        ),
        ("cp1255", "iso8859_8"),
    ),
    Article(
        "tr",
        "İzmir’de yağmur sonrası sokaklar su altında kaldı",
        (
            "Gece boyunca süren şiddetli yağış, kıyı mahallelerinde bazı sokakların su altında kalmasına yol açtı.",
            "Belediye ekipleri sabah erken saatlerde çalışmaya başladı ve öğleden sonra yollar yeniden açıldı.",
            "Meteoroloji, çarşamba gününe kadar yağışların aralıklarla sürebileceğini açıkladı.",
        ),
        ("cp1254",),
    ),
    Article(
        "de",
        "Stadtbibliothek öffnet sonntags",
        (
            "Die Stadtbibliothek öffnet ab März auch am Sonntag, teilte die Verwaltung am Dienstag mit.",
            "„Viele Familien haben nur am Wochenende Zeit“, sagte die Leiterin. Die Öffnungszeiten gelten zunächst für ein Jahr.",
            "Für den zusätzlichen Dienst werden zwei Stellen geschaffen; die Kosten trägt größtenteils das Land.",
        ),
        ("cp1252",),
    ),
    Article(
        "es",
        "La feria del libro bate su récord de visitantes",
        (
            "La feria del libro cerró el domingo con más de cien mil visitantes, según los organizadores.",
            "«Nunca habíamos visto tanta gente en la plaza», explicó una librera que participa desde hace años.",
            "El próximo año la feria se ampliará a diez días y contará con una sección dedicada a la poesía.",
        ),
        ("cp1252", "iso8859_1"),
    ),
    Article(
        "fr",
        "Le marché de Noël ouvre ses portes vendredi",
        (
            "Le marché de Noël s’installe cette année sur la place de l’église, à côté de la mairie.",
            "Une soixantaine d’artisans y vendront jouets en bois, bougies et pâtisseries jusqu’au 24 décembre.",
            "La municipalité prévoit une navette gratuite depuis la gare, toutes les vingt minutes.",
        ),
        ("cp1252",),
    ),
    Article(
        "pl",
        "Nowa ścieżka rowerowa połączy dwie dzielnice",
        (
            "Budowa ścieżki rowerowej wzdłuż rzeki ruszy w przyszłym tygodniu, poinformował urząd miasta.",
            "Trasa będzie miała ponad sześć kilometrów i połączy osiedle z dworcem głównym.",
            "Mieszkańcy od lat zgłaszali, że jazda ulicą jest zbyt niebezpieczna dla dzieci.",
        ),
        ("cp1250", "iso8859_2"),
    ),
    Article(
        "cs",
        "Obec opraví školu za dvacet milionů",
        (
            "Zastupitelé ve čtvrtek schválili opravu základní školy, která začne během letních prázdnin.",
            "Škola dostane nová okna, zateplení a výtah, řekla mluvčí radnice.",
            "Děti se do opravených tříd vrátí v září příštího roku.",
        ),
        ("cp1250", "iso8859_2"),
    ),
    Article(
        "hu",
        "Új buszjárat indul a repülőtérre",
        (
            "Hétfőtől új buszjárat köti össze a belvárost a repülőtérrel, közölte a közlekedési vállalat.",
            "A járat húszpercenként indul, és éjszaka is közlekedik.",
            "A szóvivő szerint a jegyár nem változik.",
        ),
        ("cp1250", "iso8859_2"),
    ),
    Article(
        "ro",
        "Primăria din Cluj repară podul peste Someş",
        (
            "Lucrările la podul vechi vor începe luna viitoare şi vor dura aproximativ patru luni.",
            "Circulaţia va fi deviată pe străzile din apropiere, a precizat purtătorul de cuvânt al primăriei.",
            "Locuitorii au cerut de mai mulţi ani reparaţia podului.",
        ),
        ("cp1250",),
    ),
    Article(
        "lt",
        "Vilniuje atidarytas naujas baseinas",
        (
            "Šeštadienį sostinėje duris atvėrė naujas viešasis baseinas su dviem vandens čiuožyklomis.",
            "Miesto savivaldybė teigia, kad moksleiviams įėjimas bus nemokamas iki vasaros.",
            "Gyventojai džiaugiasi, kad nebereikės važiuoti į kitą miesto galą.",
        ),
        ("cp1257", "iso8859_13"),
    ),
)


def _stray(data: bytes) -> bytes:
    """UTF-8 bytes with a last paragraph pasted in from Windows-1252: its
    apostrophe and e-acute are one stray byte each."""
    return data + b"\nEditor\x92s note: caf\xe9 prices rose in the spring.\n"


STRAY_NOTE = "Editor\u2019s note: caf\u00e9 prices rose in the spring."


def encodings_of(article: Article) -> tuple[str, ...]:
    """Every encoding an article is written in by the corpus."""
    return ("utf-8", *article.legacy, "utf-16-le", "utf-16-be", "utf-32-le", "utf-8+stray")


def encoded(article: Article, encoding: str, newline: str = "\n") -> bytes:
    text = article.file_text(newline)
    if encoding == "utf-8+stray":
        return _stray(text.encode("utf-8"))
    return text.encode(encoding)


def corpus() -> Iterator[tuple[str, bytes, Article, str]]:
    """(file name, bytes, article, encoding) for every article in every encoding; CRLF for the code pages."""
    for number, article in enumerate(ARTICLES):
        for encoding in encodings_of(article):
            newline = "\r\n" if encoding in article.legacy else "\n"
            name = f"{number:02d}_{article.lang}_{codecs.lookup(encoding.split('+')[0]).name}{'_stray' if '+' in encoding else ''}"
            yield f"{name}.txt", encoded(article, encoding, newline), article, encoding
