"""Danger signals in a woman's own words: the phrases that must at once bring up the emergency numbers.

When she writes words that say she is in danger (violence at home, threats, being hit, forced marriage,
wanting to die, "help me now", being locked in, "he will take the children from me"), the bot shows her
112 and Lev Uden Vold 1888 and alerts the group's coordinator. A missed signal is worse than a false
alarm, but false alarms on everyday words cost trust, so the lists hold short *phrases* ("he hits me",
"kill me") rather than single everyday words ("hit", "help", "afraid").

How the lists were made: machine-drafted by one helper, language by language, as the everyday ways a woman
would write each danger in the script she actually uses on her phone (with common dialect and colloquial
forms, for Urdu, Hindi, Punjabi and Bulgarian also in Roman letters, and Punjabi also in Shahmukhi), then
checked by a second machine pass that removed phrases raising false alarms and added missed forms and test
sentences. They are still a draft: native speakers and the Bydelsmødre must check them, and add what
women really write. They live here in code, not in a database, so every change is versioned, reviewed and
tested (tests/bot/domain/test_safety.py holds, for every language, sentences that must and must not raise
the alarm).

How matching works:
- Her text and every phrase go through `normalise` (casefold, NFKC, Arabic-script letter variants) and a
  stricter private fold (Latin and Cyrillic accents, Persian/Pashto/Sorani/Urdu letters typed on another
  keyboard, Ethiopic homophones, nukta ...), so "beni dovuyor" finds "beni dövüyor" and "مي‌ترسم" finds
  "می‌ترسم". Vietnamese is the exception: without its marks, words collide ("tự tử" suicide and "từ từ"
  slowly), so Vietnamese phrases are matched with their marks.
- Every language's phrases are checked, whatever her interface language: she may write in any language.
- Phrases match as whole words in scripts that separate words with spaces; Thai and Chinese, which do not,
  match as substrings. Between the words of a phrase any spaces, hyphens or apostrophes may stand, or none
  ("aidez-moi", "می‌زند" / "میزند" / "می زند").
- A `*` at the end of a phrase lets the last word go on ("beni döv*": dövüyor, dövdü, dövecek); a `*` at
  the start lets the first word begin earlier ("*ضربني": يضربني, بيضربني, كيضربني). An Arabic-script phrase
  may also be preceded by the attached و / ف and the article ال.
- A few phrases are cancelled by the word that follows them (Chinese 打我电话 is "call me").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["PHRASES", "danger_signals", "normalise"]

# fmt: off
_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "ar": (
        "*ضربني", "*عنفني", "خايفة من جوزي", "*خاف من جوزي", "خايفة من زوجي", "*خاف من زوجي", "*يقتلني",
        "قتلني ضرب", "*هددني بالقتل", "بدي موت", "بدي اموت", "نفسي اموت", "اريد ان اموت", "اريد اموت",
        "عايزة اموت", "*نتحر", "انتحار", "*قتل نفسي", "*قتل حالي", "الحقوني", "انقذوني", "النجدة",
        "ساعدوني بسرعة", "عنف", "اغتصاب", "*غتصبني", "زواج قسري", "زواج بالاكراه", "*جبرني على الزواج",
        "*زوجوني غصب", "*حبسني", "حابسني", "*حرمني من اولادي", "*خذ اولادي مني", "*خد ولادي مني",
    ),
    "tr": (
        "beni döv*", "bana vuruyor", "bana vurdu", "bana el kaldır*", "bana tokat at*", "dayak yiyorum",
        "bana dayak at*", "kocam dövü*", "kocam dövd*", "kocamdan kork*", "eşimden kork*", "beni öldür*",
        "seni öldürürüm", "öldürmekle tehdit", "ölümle tehdit*", "ölmek istiyo*", "yaşamak istemiyorum",
        "kendimi öldür*", "canıma kıy*", "intihar*", "imdat", "beni kurtarın", "hemen yardım edin",
        "şiddet", "şiddete", "şiddet gör*", "tecavüz*", "zorla evlendir*", "zorla evlilik",
        "beni kilitl*", "beni eve kilitl*", "çocukları elimden al*", "çocukları kaçır*",
        "çocuklarımı elimden al*", "çocuklarımı kaçır*",
    ),
    "kmr": (
        "li min dixe", "li min dide", "li min xist", "li min dixist", "min dikute", "ez kutam",
        "ez lêxistim", "ji mêrê xwe ditirsim", "ji zilamê xwe ditirsim", "ji mêrê min ditirsim",
        "min bikuje", "min dikuje", "dixwazim bimirim", "dixwazim bimrim", "naxwazim bijîm",
        "xwe bikujim", "xwekuştin", "hewar", "min xilas bikin", "min xilas bike", "tundî*", "şîdet*",
        "destdirêjî*", "tecaw*", "zewaca bi zorê", "bi zorê dizewicîn*", "bi zorê bizewicîn*",
        "derî li min girt", "min hepis dike", "min di malê de digire", "zarokên min ji min bistîn*",
        "zarokan ji min bistîn*", "zarokan ji min bigir*",
    ),
    "ckb": (
        "لێم دەدات", "لێم ئەدات", "لێم دەدا", "لێم ئەدا", "لێی دام", "لێمی دا", "*مکوژێت", "*مکوژێ",
        "هەڕەشەی کوشتن*", "*مەوێت بمرم", "*مەوێ بمرم", "نامەوێت بژیم", "نامەوێ بژیم", "خۆم بکوژم",
        "خۆم دەکوژم", "خۆم ئەکوژم", "خۆکوژی", "فریام کەون", "فریام کەوە", "فریام بکەون", "توند و تیژی*",
        "دەستدرێژی*", "هاوسەرگیری بە زۆر", "هاوسەرگیری زۆرەملێ", "بە زۆر شووم*", "بە زۆر بە شوو*",
        "دەرگام لێ دادەخات", "بەندم کردووە", "منداڵەکانم لێ دەسێنێت", "منداڵەکانم لێ ئەسێنێت",
        "منداڵەکانم لێ دەسەنێت", "لە مێردەکەم دەترسم", "لە مێردم دەترسم", "لە مێردەکەم ئەترسم",
        "لە مێردم ئەترسم",
    ),
    "so": (
        "i garaac*", "i tumaa", "i tumay", "i jirdil*", "i dilaa", "i dili", "i dilay", "i dilayaa",
        "i dilo", "ka baqayaa ninkayga", "ka baqayaa ninkeyga", "ninkayga waan ka baq*",
        "ninkeyga waan ka baq*", "inaan dhinto", "in aan dhinto", "is dilo", "is dilid", "isdilid",
        "is dilay*", "i badbaadi*", "i caawi hadda", "i caawiya hadda", "rabshad*", "kufs*", "tacaddi*",
        "guur qasab*", "guur khasab*", "albaabka igu xir*", "albaabka igu xidh*", "qolka igu xir*",
        "guriga igu xir*", "guriga igu xidh*", "carruurta iga qaad*", "carruurtayda iga qaad*",
        "caruurta iga qaad*",
    ),
    "uk": (
        "б'є мене", "мене б'є", "вдарив мене", "побив мене", "мене вдарив", "мене побив",
        "боюся чоловіка", "боюся свого чоловіка", "боюсь чоловіка", "вб'є мене", "уб'є мене", "мене вб'є",
        "погрожує вбити", "хочу померти", "хочу вмерти", "не хочу жити", "не хочеться жити",
        "не хочу більше жити", "вбити себе", "покінчити з собою", "самогубств*", "суїцид*", "рятуйте",
        "допоможіть терміново", "насильств*", "насилля", "зґвалту*", "примусовий шлюб", "замикає мене",
        "замкнув мене", "мене замкнув", "не випускає з дому", "відбере дітей", "відбере в мене дітей",
        "відібрати дітей",
    ),
    "ur": (
        "مجھے مارتا", "مجھے مارا", "شوہر مارتا", "مجھے مارتے", "مجھے پیٹتا", "مار پیٹ",
        "مجھ پر ہاتھ اٹھا*", "شوہر سے ڈرتی", "شوہر سے ڈر لگتا", "مار ڈالے گا", "جان سے مار*",
        "قتل کی دھمکی", "مرنا چاہتی", "جینا نہیں چاہتی", "خود کشی", "خود کو مار", "اپنی جان لے",
        "مجھے بچاؤ", "جلدی مدد", "تشدد", "عصمت دری", "ریپ", "زبردستی شادی", "زبردستی نکاح", "جبری شادی",
        "جنسی زیادتی", "کمرے میں بند کر*", "گھر میں بند کر*", "بچے چھین", "بچوں کو چھین", "mujhe marta",
        "mujhe bachao", "mujhe maarta", "khud kushi", "marna chahti",
    ),
    "fa": (
        "منو می زن*", "من رو می زن*", "مرا می زن*", "کتک می زن*", "کتکم می زن*", "کتک زد", "کتکم زد",
        "منو زد", "کتک می خور*", "دست بزن دار*", "از شوهرم می ترسم", "از همسرم می ترسم", "منو می کش*",
        "می کشمت", "منو بکشه", "تهدید به کشتن", "می خوام بمیرم", "دلم می خواد بمیرم", "می خواهم بمیرم",
        "خودمو بکشم", "خودمو می کشم", "خودم را بکشم", "خود کشی", "نجاتم بد*", "به دادم برس*", "خشونت",
        "تجاوز جنسی", "بهم تجاوز", "به من تجاوز", "ازدواج اجباری", "ازدواج به زور", "منو زندانی",
        "مرا زندانی", "بچه ها رو ازم", "بچه هامو ازم",
    ),
    "fa_AF": (
        "لت و کوب", "مرا لت می کن*", "مرا لت کرد*", "مره لت می کن*", "مره لت کد*", "لتم می کن*",
        "لتم کرد*", "مره می زن*", "مرا زد", "مره زد", "از شوهرم می ترسم", "از شوهرم ترس دارم",
        "مرا می کش*", "ترا می کشم", "مره می کش*", "تره می کشم", "می خواهم بمیرم", "می خوام بمیرم",
        "خود را بکشم", "خوده بکشم", "خود را می کشم", "خود کشی", "مرا نجات بد*", "خشونت", "تجاوز جنسی",
        "ازدواج اجباری", "عروسی اجباری", "نکاح اجباری", "ازدواج به زور", "مرا بند کرده", "مره بند کد*",
        "در خانه بندم کرد*", "اولاد هایم را از من", "طفل هایم را از من", "بچه هایم را از من",
    ),
    "pl": (
        "bije mnie", "mnie bije", "mnie pobił", "tłucze mnie", "znęca*", "uderzył mnie", "mnie uderzył",
        "pobił mnie", "boję się męża", "boję się mojego męża", "boję się wracać do domu", "zabije mnie",
        "mnie zabije", "chcę umrzeć", "nie chcę już żyć", "nie chce mi się żyć", "zabić się",
        "chcę się zabić", "samobójstw*", "ratunku", "pomóżcie szybko", "przemoc", "przemocy", "gwałt",
        "zgwałcił*", "zgwałcon*", "zmusza mnie do ślubu", "zmuszają mnie do ślubu",
        "przymusowe małżeństwo", "zamyka mnie", "zamknął mnie", "mnie zamknął", "nie wypuszcza mnie",
        "zabierze mi dzieci", "odbierze mi dzieci",
    ),
    "ro": (
        "mă bate", "mă lovește", "m-a bătut", "m-a lovit", "frică de soțul meu", "frică de bărbatul meu",
        "frică de soț", "frică să mă întorc acasă", "că mă omoară", "mă omoară în bătaie", "mă va omorî",
        "să mă omoare", "vreau să mor", "vreau să mă omor", "nu mai vreau să trăiesc", "sinucid*",
        "salvați-mă", "ajutați-mă repede", "violență", "viol", "m-a violat", "căsătorie forțată",
        "mă mărită cu forța", "măritată cu forța", "obligă să mă mărit", "mă încuie", "m-a încuiat",
        "m-a închis în", "mă închide în casă", "nu mă lasă să ies din casă", "să-mi ia copiii",
        "mă lasă fără copii",
    ),
    "bs": (
        "me tuče", "tuče me", "me bije", "me udara", "udara me", "udario me", "me je udario",
        "pretukao me", "me je pretukao", "maltretira me", "me maltretira", "bojim se muža", "ubit će me",
        "će me ubiti", "ubiće me", "želim umrijeti", "ne želim više živjeti", "hoću da umrem", "ubiti se",
        "da se ubijem", "samoubistv*", "samoubojstv*", "upomoć", "u pomoć", "pomozite brzo", "nasilj*",
        "silova*", "prisilni brak", "prisilno udaj*", "zaključava me", "zaključao me", "me je zaključao",
        "oduzet će mi djecu", "oduzeti mi djecu", "uzet će mi djecu",
    ),
    "th": (
        "ตีฉัน", "ตีหนู", "โดนผัวตี", "โดนสามีตี", "ตีเรา", "ทำร้ายฉัน", "ทำร้ายหนู", "ทำร้ายร่างกาย",
        "ถูกทำร้าย", "โดนทำร้าย", "ทุบตี", "ตบฉัน", "ตบหนู", "กลัวสามี", "ฆ่าฉัน", "ขู่ฆ่า", "ขู่จะฆ่า",
        "ขู่ว่าจะฆ่า", "อยากตาย", "ไม่อยากมีชีวิตอยู่", "ฆ่าตัวตาย", "ช่วยด้วย", "ช่วยฉันด้วย",
        "ช่วยหนูด้วย", "ความรุนแรงในครอบครัว", "ใช้ความรุนแรง", "ข่มขืน", "บังคับแต่งงาน",
        "บังคับให้แต่งงาน", "ขังฉัน", "ขังหนู", "ขังไว้ในบ้าน", "ถูกขัง", "แย่งลูกไป", "พรากลูก",
    ),
    "fil": (
        "sinasaktan", "sinaktan", "binubugbog", "binugbog", "sinampal ako", "sinampal niya ako",
        "sinuntok ako", "sinusuntok ako", "takot ako sa asawa ko", "natatakot ako sa asawa ko",
        "takot ako sa mister ko", "papatayin niya ako", "papatayin nya ako", "papatayin ako",
        "papatayin daw ako", "gusto ko nang mamatay", "gusto ko na mamatay", "gusto ko ng mamatay",
        "ayoko nang mabuhay", "ayoko na mabuhay", "*pakamatay", "saklolo", "tulungan niyo ako agad",
        "karahasan", "ginahasa", "panggagahasa", "ni-rape", "na-rape", "*pilit akong magpakasal",
        "sapilitang kasal", "kinukulong ako", "kinulong ako", "kinukulong niya ako",
        "ilalayo niya ang mga anak ko", "ilalayo nya ang mga anak ko",
    ),
    "vi": (
        "đánh tôi", "đánh em", "đánh đập", "bị chồng đánh", "sợ chồng", "giết tôi", "giết em", "dọa giết",
        "doạ giết", "tôi muốn chết", "em muốn chết", "không muốn sống nữa", "tự tử", "tự sát", "cứu tôi",
        "cứu em với", "cứu với", "bạo lực", "bạo hành", "hiếp dâm", "cưỡng hiếp", "xâm hại", "ép cưới",
        "ép kết hôn", "ép lấy chồng", "ép gả", "nhốt tôi", "nhốt em", "cướp con",
        # typed without marks: only what cannot be read as another word
        "danh toi", "chong danh em", "bi chong danh", "danh dap", "giet toi", "doa giet", "toi muon chet",
        "em muon chet", "khong muon song nua", "cuu toi voi", "cuu em voi", "hiep dam",
        "bao luc gia dinh",
    ),
    "ta": (
        "என்னை அடிக்*", "என்னை அடித்*", "என்னை அடிச்*", "எனக்கு அடிக்கிற*", "என்னைக் கொல்*",
        "என்னைக் கொன்*", "என்னை கொல்*", "என்னை கொன்*", "கொலை மிரட்டல்", "சாக வேண்டும்", "சாகணும்",
        "செத்துப் போகணும்", "வாழ விருப்பமில்லை", "தற்கொலை", "என்னைக் காப்பாற்று*", "என்னை காப்பாற்று*",
        "என்னை காப்பாத்து*", "காப்பாத்துங்க", "அவசர உதவி", "வன்முறை", "துன்புறுத்*", "கற்பழி*",
        "பாலியல் வன்கொடுமை", "பலாத்கார*", "கட்டாய திருமணம்", "கட்டாய கல்யாணம்", "கட்டாயத் திருமணம்",
        "வீட்டில் பூட்டி", "அறையில் பூட்டி", "கணவருக்கு பயம்", "கணவருக்குப் பயம்", "குழந்தைகளை பறி*",
        "பிள்ளைகளை பறி*", "குழந்தைகளைப் பறி*", "பிள்ளைகளைப் பறி*",
    ),
    "ru": (
        "бьёт меня", "меня бьёт", "меня изби*", "ударил меня", "меня ударил", "избил меня",
        "избивает меня", "боюсь мужа", "боюсь своего мужа", "боюсь идти домой", "убьёт меня",
        "меня убьёт", "угрожает убить", "хочу умереть", "не хочу жить", "не хочется жить",
        "покончить с собой", "покончу с собой", "убить себя", "самоубийств*", "суицид*",
        "помогите срочно", "спасите", "насили*", "изнасил*", "принудительный брак", "насильно замуж",
        "запирает меня", "запер меня", "меня запер", "не выпускает из дома", "отберёт детей",
        "отберёт у меня детей", "отнимет детей", "отобрать детей",
    ),
    "ps": (
        "ما وهي", "ما ټکوي", "وهل ټکول", "یې ووهلم", "لت و کوب", "ما وژني", "ما ووژني", "ما به ووژني",
        "د وژلو ګواښ", "غواړم چې مړه شم", "غواړم مړه شم", "کاشکې مړه شم", "ځان وژن*", "ځان ووژنم",
        "ځان به ووژنم", "ما وژغورئ", "ما وژغوره", "ژر مرسته", "تاو تریخوالی", "جنسي تېری", "په زور واده",
        "په زوره واده", "په زور مې واده", "زوري واده", "جبري واده", "بنده کړې یم", "په کور کې بنده",
        "ماشومان رانه واخل*", "ماشومان رانه اخل*", "ماشومان مې رانه واخل*", "له مېړه نه ډار*",
        "د مېړه نه ډار*", "له خپل مېړه نه ډار*", "له خاوند نه ډار*", "له مېړه څخه ډار*",
    ),
    "zh_Hans": (
        "家暴", "暴力", "打我", "打了我", "要打死我", "殴打", "打骂", "被老公打", "杀了我", "杀我",
        "殺我", "弄死我", "威胁要杀", "不想活了", "自杀", "自殺", "活不下去", "轻生", "救命", "救救我",
        "强奸", "强暴", "強姦", "性侵", "逼婚", "强迫结婚", "把我锁", "把我关", "被关在家", "不让我出门",
        "抢走孩子", "抢走我的孩子", "夺走孩子", "怕我老公", "怕我丈夫", "不让我见孩子",
    ),
    "lt": (
        "mane muša", "muša mane", "sumušė mane", "mane sumušė", "mušė mane", "mane daužo", "trenkė man",
        "man trenkė", "bijau vyro", "bijau savo vyro", "nužudys mane", "mane nužudys", "užmuš mane",
        "mane užmuš", "grasina nužudyti", "noriu mirti", "nebenoriu gyventi", "nusižudy*", "savižudyb*",
        "gelbėkit*", "padėkite greitai", "smurt*", "išprievartav*", "išžagin*", "priverstinė santuoka",
        "verčia tekėti", "verčia mane tekėti", "uždaro mane", "uždarė mane", "užrakino mane",
        "mane užrakino", "neišleidžia iš namų", "atims vaikus", "atimti vaikus", "atims iš manęs vaikus",
    ),
    "fr": (
        "me frappe", "m'a frappé*", "il me bat", "mari me bat", "me tabasse", "m'a battu*", "m'a tabass*",
        "il me cogne", "m'a étrangl*", "peur de mon mari", "peur de rentrer", "me tuer", "il me menace",
        "je veux mourir", "envie de mourir", "veux plus vivre", "me suicider", "me foutre en l'air",
        "suicide", "aidez-moi vite", "au secours", "violence", "violences", "viol", "violée",
        "mariage forcé", "me marier de force", "mariée de force", "m'enferme", "m'a enferm*",
        "enfermée à la maison", "m'enlever mes enfants", "m'enlever les enfants",
    ),
    "ti": (
        "*ወቕዐኒ", "*ሃርመኒ", "*ሃረመኒ", "*ሃሪሙኒ", "*ወቒዑኒ", "*ጸፍዓኒ", "*ቐትለኒ", "ክቐትለኪ እየ", "ክመውት እደሊ", "ክመውት ደልየ",
        "*ርእሰይ ክቐትል*", "ርእሰ ቕትለት", "*ድሕኑኒ", "*ድሕንኒ", "ብቕልጡፍ ሓግዙኒ", "ብቕልጡፍ ሓግዝኒ", "ዓመጽ", "ጾታዊ ዓመጽ",
        "*ዓመጸኒ", "*ዓሚጹኒ", "ብግዲ ምምርዓው", "*ዓጽዩኒ", "ደቀይ ካባይ ክወስ*", "ደቀይ ክወስዶም እዩ", "ደቀይ ክወስዶም'ዩ",
        "*ሰብኣየይ እፈር*",
    ),
    "sw": (
        "*nipiga", "*nichapa", "*nitandika", "*nidunga kisu", "*ogopa mume wangu", "*niua", "*taka kufa",
        "*jiua", "*jiue", "sitaki kuishi tena", "*jitoa uhai", "nisaidie haraka", "nisaidieni haraka",
        "niokoe", "niokoeni", "ukatili", "unyanyasaji", "ubakaji", "*nibaka", "*bakwa", "ndoa ya lazima",
        "ndoa ya kulazimishwa", "*lazimisha kuolewa", "*lazimishwa kuolewa", "*olewa kwa nguvu",
        "*nifungia ndani", "*nifungia chumbani", "*nifungia nyumbani", "*nyang'anya watoto",
        "*pokonya watoto",
    ),
    "bg": (
        "бие ме", "ме бие", "удари ме", "ме удари", "преби ме", "ме преби", "пребива ме", "ме пребива",
        "страх ме е от мъжа", "страхувам се от мъжа", "страх ме е да се прибера", "ще ме убие",
        "да ме убие", "ме утрепе", "искам да умра", "не искам да живея", "се самоуби*", "самоубийств*",
        "помогнете бързо", "спасете ме", "насилие", "изнасил*", "принудителен брак", "насила да се омъж*",
        "насила ме омъж*", "заключва ме", "заключи ме", "ме заключ*", "не ме пуска да изляза",
        "ми отнеме децата", "me bie", "bie me", "me ubie", "iskam da umra",
    ),
    "hi": (
        "मुझे मारता", "मुझे मारा", "मुझे मार देगा", "मुझे मारते", "मुझे पीटता", "मुझे पीटा", "मार पीट",
        "मुझ पर हाथ उठा*", "पति से डर*", "मार डालेगा", "जान से मार*", "मरना चाहती", "मर जाना चाहती",
        "जीना नही*", "आत्म हत्या", "खुदकुशी", "खुद को मार", "मुझे बचाओ", "जल्दी मदद करो", "घरेलू हिंसा",
        "हिंसा", "बलात्कार", "रेप", "जबरदस्ती शादी", "जबरन शादी", "शादी के लिए मजबूर", "कमरे में बंद",
        "घर में बंद", "बच्चे छीन", "बच्चों को छीन",
        "mujhe marta", "mujhe bachao", "mujhe maarta", "maar dalega", "mar dalega", "jaan se maar*",
    ),
    "pa": (
        "ਮੈਨੂੰ ਮਾਰਦਾ", "ਮੈਨੂੰ ਮਾਰਿਆ", "ਮੈਨੂੰ ਕੁੱਟਦਾ", "ਮੈਨੂੰ ਕੁੱਟਿਆ", "ਕੁੱਟ ਮਾਰ", "ਮਾਰ ਦੇਵੇਗਾ",
        "ਮਾਰ ਦੇਊ*", "ਜਾਨ ਤੋਂ ਮਾਰ*", "ਜਾਨੋਂ ਮਾਰ*", "ਮਰਨਾ ਚਾਹੁੰਦੀ", "ਮਰ ਜਾਣਾ ਚਾਹੁੰਦੀ", "ਜੀਣਾ ਨਹੀ*",
        "ਖੁਦਕੁਸ਼ੀ", "ਆਤਮ ਹੱਤਿਆ", "ਮੈਨੂੰ ਬਚਾਓ", "ਮੈਨੂੰ ਬਚਾ ਲਓ", "ਜਲਦੀ ਮਦਦ ਕਰੋ", "ਹਿੰਸਾ", "ਬਲਾਤਕਾਰ", "ਰੇਪ",
        "ਜ਼ਬਰਦਸਤੀ ਵਿਆਹ", "ਜਬਰੀ ਵਿਆਹ", "ਧੱਕੇ ਨਾਲ ਵਿਆਹ", "ਕਮਰੇ ਵਿੱਚ ਬੰਦ", "ਘਰ ਵਿੱਚ ਬੰਦ", "ਘਰ ਚ ਬੰਦ",
        "ਬੱਚੇ ਖੋਹ", "ਪਤੀ ਤੋਂ ਡਰ*", "ਘਰਵਾਲੇ ਤੋਂ ਡਰ*",
        "mainu marda", "mainu kutda", "mainu kuttda", "menu kutda", "مینوں ماردا", "مینوں کٹدا",
    ),
    "sq": (
        "ai më rreh", "burri më rreh", "më rreh burri", "më rrahu", "më ka rrahur", "më godet",
        "më goditi", "kam frikë nga burri", "frikë prej burrit", "do më vrasë", "të më vrasë", "me m'vra",
        "dua të vdes", "dua me vdek*", "du me vdek*", "dua më të jetoj", "vras veten", "vra veten",
        "vetëvras*", "më shpëtoni", "ndihmë shpejt", "dhun*", "përdhun*", "martesë e detyruar",
        "martesë me detyrim", "më martojnë me zor", "më detyrojnë të martohem", "më mbyll në shtëpi",
        "më mbylli në", "më ka mbyllur", "nuk më lë të dal", "s'më lë të dal", "të më marrë fëmijët",
        "m'i marrë fëmijët",
    ),
    "de": (
        "schlägt mich", "misshandelt mich", "hat mich geschlagen", "verprügelt mich", "mich verprügelt",
        "würgt mich", "mich gewürgt", "angst vor meinem mann", "angst vor meinem ehemann",
        "angst nach hause", "er bringt mich um", "mich umbringen", "mich umzubringen", "mich töten",
        "tötet mich", "ich will sterben", "ich möchte sterben", "will nicht mehr leben",
        "möchte nicht mehr leben", "mir das leben nehmen", "selbstmord", "suizid", "hilfe sofort",
        "rettet mich", "gewalt", "häusliche gewalt", "vergewaltig*", "zwangsheirat", "zwangsverheirat*",
        "zwangsehe", "sperrt mich ein", "eingesperrt", "lässt mich nicht raus", "nimmt mir die kinder",
        "die kinder wegnehmen",
    ),
    "am": (
        "*መታኛል", "*መታኝ", "*ደበድበኛል", "*ደበደበኝ", "ባሌን እፈራ*", "ባለቤቴን እፈራ*", "*ገድለኛል", "*ገድለኝ", "*ገድልሻለ*",
        "መሞት እፈልጋ*", "*ራሴን ማጥፋት", "*ራሴን አጠፋ*", "ራሴን ላጠፋ*", "ራሴን ልገድል*", "ራስን ማጥፋት", "አድኑኝ", "አድኚኝ",
        "ድረሱልኝ", "ድረሺልኝ", "በፍጥነት እርዱኝ", "ጥቃት", "ጾታዊ ጥቃት", "አስገድዶ መድፈር", "*ደፈረኝ", "የግዳጅ ጋብቻ", "በግድ ሊድሩኝ",
        "*ቆልፎብኛል", "*ቆለፈብኝ", "ልጆቼን ይወስድብኛል", "ልጆቼን ሊወስድብኝ", "ልጆቼን ሊነጥቀኝ",
    ),
    "es": (
        "me pega", "me pegó", "me golpea", "me golpeó", "me maltrata", "miedo a mi marido",
        "miedo de mi marido", "miedo a mi esposo", "miedo de mi esposo", "me va a matar", "me amenaza",
        "matarme", "quiero morir", "quiero morirme", "me quiero matar", "ya no quiero vivir",
        "suicidarme", "suicidio", "socorro", "auxilio", "ayúdenme ya", "violencia", "me violó",
        "me violaron", "violación", "matrimonio forzado", "obliga a casarme", "obligan a casarme",
        "me encierra", "me encerró", "no me deja salir de casa", "quitarme a mis hijos",
        "quitar a mis hijos", "quitarme los niños",
    ),
    "da": (
        "han slår mig", "kæreste slår mig", "han slå mig", "han har slået mig", "han slog mig",
        "min mand slår mig", "banker mig", "tæver mig", "kvæler mig", "kvælertag", "bange for min mand",
        "bange for at tage hjem", "slå mig ihjel", "dræbe mig", "han truer mig", "jeg vil dø",
        "lyst til at dø", "vil ikke leve mere", "tage mit eget liv", "tage livet af mig", "selvmord*",
        "hjælp mig nu", "hjælp hurtigt", "vold", "voldt*", "voldelig*", "tvangsægteskab",
        "gifte mig mod min vilje", "tvunget til at gifte", "låser mig inde", "låst mig inde",
        "jeg er låst inde", "tage børnene fra mig", "mine børn fra mig", "tager børnene fra mig",
    ),
    "en": (
        "hits me", "hitting me", "he hit me", "he hurts me", "husband hurts me", "he beats me",
        "he beat me", "beating me", "beat me up", "choked me", "strangled me", "afraid of my husband",
        "scared of my husband", "afraid to go home", "kill me", "threatens to kill", "want to die",
        "wanna die", "kill myself", "end my life", "don't want to live anymore", "suicide", "help me now",
        "violence", "abuses me", "abusive", "raped", "forced marriage", "forced to marry", "locks me in",
        "locked me in", "won't let me leave", "take my children away", "take the children away",
        "take my kids away",
    ),
}
# fmt: on
PHRASES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(_PHRASES)

# Phrases that mean something harmless when this word follows them.
_UNLESS_FOLLOWED_BY: Final[Mapping[str, tuple[str, ...]]] = {
    # 打我电话: call me; 打我支付宝 / 银行: pay into my account; 打我的主意: has designs on me
    "打我": ("电话", "手机", "的电话", "的手机", "微信", "的卡", "的账", "支付宝", "的支付宝", "银行",
             "的银行", "主意", "的主意", "号码", "的号码", "这个号", "卡上", "账上", "账户"),
    # 打了我好几个电话: called me several times
    "打了我": ("电话", "手机", "的电话", "的手机", "微信", "个电话", "一个电话", "几个电话", "好几个电话",
               "的卡", "支付宝", "银行"),
    "被老公打": ("电话",),  # 被老公打电话叫醒: woken by my husband's call
    "把我关": ("心的", "心我", "注的"),  # 把我关心的问题: the questions I care about
    "he hit me": ("up",), "hits me": ("up",),  # he hit me up: he messaged me
    "me pegó": ("la gripe", "el resfriado", "el virus", "el covid"),  # he gave me the flu
    "me pega": ("la gripe", "el resfriado", "el virus", "el covid"),
    "*nipiga": ("simu", "picha", "faini"),  # alinipiga simu / picha / faini: called / photographed / fined me
    "mă bate": ("gândul", "la cap"),  # mă bate gândul / la cap: I am thinking of / he keeps nagging me
    "என்னை அடிக்*": ("கடி",),  # என்னை அடிக்கடி: me often
    "घर में बंद": ("गोभी",), "कमरे में बंद": ("गोभी",),  # बंद गोभी: cabbage
    "ਘਰ ਵਿੱਚ ਬੰਦ": ("ਗੋਭੀ",), "ਘਰ ਚ ਬੰਦ": ("ਗੋਭੀ",), "ਕਮਰੇ ਵਿੱਚ ਬੰਦ": ("ਗੋਭੀ",),  # ਬੰਦ ਗੋਭੀ: cabbage
}  # fmt: skip
# Matched with their marks: without them too many words collide (see the module docstring).
_EXACT_LOCALES: Final = frozenset({"vi"})

_APOSTROPHES: Final = str.maketrans(dict.fromkeys("’‘ʼʹ`´′", "'"))
_ALEF: Final = "أإآٱٲٳٵ"
_Table = dict[str | int, str | int | None]
_NORMALISE_MAP: Final[_Table] = {
    **dict.fromkeys(range(0x0610, 0x061B)),  # Quranic marks
    **dict.fromkeys(range(0x064B, 0x0660)),  # tashkeel: fathatan ... wavy hamza
    0x0670: None,  # superscript alef
    **dict.fromkeys(range(0x06D6, 0x06DD)),
    **dict.fromkeys(range(0x06DF, 0x06E9)),
    **dict.fromkeys(range(0x06EA, 0x06EE)),
    0x0640: None,  # tatweel
    **dict.fromkeys((0x00AD, 0x200B, 0x200D, 0x200E, 0x200F, 0xFEFF)),  # soft hyphen, zero-width, marks
    **dict.fromkeys(range(0x202A, 0x202F)),  # bidi embeddings
    **dict.fromkeys(range(0x2066, 0x206A)),  # bidi isolates
    **dict.fromkeys(_ALEF, "ا"),
    "ي": "ی",  # Arabic yeh -> Persian yeh
    "ى": "ی",  # alef maksura, the undotted final yeh Arabic writers often use
    "ك": "ک",  # Arabic kaf -> Persian kaf
    "፡": " ",  # Ethiopic word space
}
_NORMALISE: Final = str.maketrans(_NORMALISE_MAP)


def _ethiopic_homophones() -> _Table:
    """Letters Amharic writers use interchangeably (ሐ/ኀ/ሀ, ሠ/ሰ, ዐ/አ, ፀ/ጸ), and ቐ/ቀ, ኸ/ከ in Tigrinya."""
    table: _Table = {}
    for source, target in ((0x1210, 0x1200), (0x1280, 0x1200), (0x1220, 0x1230), (0x12D0, 0x12A0),
                           (0x1340, 0x1338), (0x1250, 0x1240), (0x1278, 0x12A8)):  # fmt: skip
        for order in range(7):
            table[source + order] = target + order
    return table


_FOLD_MAP: Final[_Table] = {
    **dict.fromkeys(range(0x0300, 0x0370)),  # Latin/Cyrillic accents, after NFD
    **dict.fromkeys((0x0653, 0x0654, 0x0655)),  # Arabic hamza and madda, after NFD (أ ؤ ئ ۀ)
    **dict.fromkeys(_ALEF, "ا"),
    "ي": "ی", "ى": "ی", "ك": "ک",
    **dict.fromkeys("ةۀہھەۂ", "ه"),  # teh marbuta and the heh forms of Persian, Urdu, Sorani
    **dict.fromkeys("ێېۍےۓ", "ی"),  # Sorani, Pashto and Urdu yeh
    "ۆ": "و", "ڕ": "ر", "ڵ": "ل",  # Sorani letters typed on a Persian keyboard
    "ګ": "گ", "ړ": "ر", "ټ": "ت", "ډ": "د", "ښ": "ش", "ږ": "ژ", "ڼ": "ن",  # Pashto
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن",  # Urdu
    "\u200c": " ",  # zero-width non-joiner (Persian half-space): "می‌زند" as "می زند"
    "ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ґ": "г",
    "\u093c": None, "\u0901": "\u0902",  # Devanagari nukta; candrabindu as anusvara
    "\u0a3c": None, "\u0a71": None, "\u0a70": "\u0a02",  # Gurmukhi nukta, addak; tippi as bindi
    **_ethiopic_homophones(),
}  # fmt: skip
_FOLD: Final = str.maketrans(_FOLD_MAP)


def normalise(text: str) -> str:
    """Her text in one spelling: casefolded, NFKC, without Arabic diacritics or tatweel, one yeh, one kaf,
    one alef, one apostrophe, no invisible marks, single spaces."""
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES))
    text = unicodedata.normalize("NFKC", text.casefold()).translate(_NORMALISE)
    return " ".join(text.split())


def _fold(normalised: str) -> str:
    """A stricter spelling for matching only: accents, keyboard variants and homophones folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", normalised).translate(_FOLD))


# Scripts, by the letters that may occur in a normalised and folded text.
_SCRIPTS: Final = {
    "latin": "a-z\u00c0-\u024f\u1e00-\u1eff",
    "cyrillic": "\u0400-\u04ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "ethiopic": "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f",
    "devanagari": "\u0900-\u097f",
    "gurmukhi": "\u0a00-\u0a7f",
    "tamil": "\u0b80-\u0bff",
    "thai": "\u0e00-\u0e7f",
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
}
_UNSPACED: Final = frozenset({"thai", "han"})  # no spaces between words: match anywhere
_SCRIPT_OF_LETTER: Final = {name: re.compile(f"[{letters}]") for name, letters in _SCRIPTS.items()}


def _marks() -> str:
    """Combining marks (vowel signs, virama ...), which Python's \\w does not count as part of a word."""
    found: list[str] = []
    for code in range(0x0300, 0x1B00):
        if unicodedata.category(chr(code)).startswith("M"):
            found.append(re.escape(chr(code)))
    return "".join(found)


_WORD: Final = f"[\\w{_marks()}]"
_SEPARATOR: Final = re.compile(r"[\s'\-]+")
_ARABIC_PROCLITIC: Final = "(?:[وف])?(?:ال|بال|لل)?"  # attached "and", "so", "the"


def _script(phrase: str) -> str:
    for char in phrase:
        for name, letter in _SCRIPT_OF_LETTER.items():
            if letter.match(char):
                return name
    raise ValueError(f"No known script in the danger phrase {phrase!r}")


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One phrase as regex pieces: where it may start, what it reads, what may (not) follow it."""

    open_left: bool  # the first word may begin earlier ("*ضربني")
    atoms: tuple[str, ...]  # one escaped letter, or the pattern between two words
    tail: str  # right boundary and "unless followed by"


def _compile(phrase: str, *, script: str, folded: bool) -> _Compiled:
    def spell(words: str) -> str:
        normal = normalise(words)
        return _fold(normal) if folded else normal

    unspaced = script in _UNSPACED
    words = [word for word in _SEPARATOR.split(spell(phrase.strip("*"))) if word]
    atoms: list[str] = []
    for index, word in enumerate(words):
        if index:
            atoms.append(r"\s*" if unspaced else r"[\s'\-]*")
        atoms.extend(re.escape(char) for char in word)
    tail = "" if unspaced or phrase.endswith("*") else f"(?!{_WORD})"
    if unless := _UNLESS_FOLLOWED_BY.get(phrase):
        tail += r"(?!\s*(?:" + "|".join(re.escape(spell(word)) for word in unless) + "))"
    return _Compiled(open_left=unspaced or phrase.startswith("*"), atoms=tuple(atoms), tail=tail)


class _Trie:
    """Phrases sharing their beginnings share one branch, so a position is tried against a few first
    letters rather than against every phrase (one flat alternation of 700 phrases takes ~40 ms)."""

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.ends: list[str] = []  # tail + an empty named group that says which phrase matched

    def add(self, atoms: tuple[str, ...], end: str) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie())
        node.ends.append(end)

    def pattern(self) -> str:
        # Longer phrases first: "he beats me" is reported rather than a shorter phrase it begins with.
        parts = [atom + child.pattern() for atom, child in self.children.items()] + self.ends
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class _Matcher:
    present: re.Pattern[str]  # a letter of this script is in the text: only then run `regex`
    regex: re.Pattern[str]  # all phrases of one script as a trie; an empty named group ends each phrase
    phrases: Mapping[str, str]  # group name -> the phrase, normalised, as reported
    folded: bool  # matched against the folded text (else against the normalised text)


def _build() -> tuple[_Matcher, ...]:
    unknown = set(_UNLESS_FOLLOWED_BY) - {phrase for phrases in _PHRASES.values() for phrase in phrases}
    if unknown:
        raise ValueError(f"Exceptions for phrases that are not in the lists: {sorted(unknown)}")
    # (script, folded) -> compiled phrase -> the phrase as reported (the first locale's, if two share it)
    groups: dict[tuple[str, bool], dict[_Compiled, str]] = {}
    for locale, phrases in _PHRASES.items():
        folded = locale not in _EXACT_LOCALES
        for phrase in phrases:
            script = _script(phrase)
            compiled = _compile(phrase, script=script, folded=folded)
            groups.setdefault((script, folded), {}).setdefault(compiled, normalise(phrase.strip("*")))
    matchers: list[_Matcher] = []
    for (script, folded), by_phrase in groups.items():
        names: dict[str, str] = {}
        bounded, open_left = _Trie(), _Trie()
        for compiled, reported in by_phrase.items():
            name = f"p{len(names)}"
            names[name] = reported
            (open_left if compiled.open_left else bounded).add(compiled.atoms, f"{compiled.tail}(?P<{name}>)")
        alternatives = []
        if bounded.children:
            proclitic = _ARABIC_PROCLITIC if script == "arabic" else ""
            alternatives.append(f"(?<!{_WORD}){proclitic}{bounded.pattern()}")
        if open_left.children:
            alternatives.append(open_left.pattern())
        matchers.append(
            _Matcher(
                present=_SCRIPT_OF_LETTER[script],
                regex=re.compile("|".join(alternatives)),
                phrases=MappingProxyType(names),
                folded=folded,
            )
        )
    return tuple(matchers)


_MATCHERS: Final = _build()


def danger_signals(text: str) -> tuple[str, ...]:
    """The danger phrases (normalised) found in her text, in any of our languages, in the order she wrote
    them; empty when there is none."""
    normal = normalise(text)
    if not normal:
        return ()
    folded = _fold(normal)
    found: list[tuple[int, str]] = []
    for matcher in _MATCHERS:
        subject = folded if matcher.folded else normal
        if not matcher.present.search(subject):
            continue
        for match in matcher.regex.finditer(subject):
            if match.lastgroup is not None:
                found.append((match.start(), matcher.phrases[match.lastgroup]))
    return tuple(dict.fromkeys(phrase for _, phrase in sorted(found)))
