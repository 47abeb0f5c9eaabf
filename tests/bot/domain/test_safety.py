import pytest

from bot.domain.safety import PHRASES, danger_signals, normalise
from bot.i18n import LOCALES

# For every interface language: sentences as a woman would write them that MUST raise the alarm, and
# everyday sentences (a letter, homework, a phone call, idioms that look like danger) that must NOT.
# Every sentence is checked against the phrases of ALL languages.
CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ar": (
        (
            "زوجي بيضربني كل يوم وانا خايفة",
            "بدي موت، ما عاد فيني اتحمل",
            "إنه يَضْرِبُنِي أمام الأطفال",  # with tashkeel and hamza
            "هو يضـــربني كل ليلة",  # tatweel
            "أريد أن أموت",
            "أهلي يريدون زواج قسري لي",
            "انا خايفه من زوجي، قال رح يقتلني",  # teh marbuta written as heh
            "ساعدوني بسرعة! حابسني في البيت",
            "هذا عنف، ماذا أفعل؟",
            "تعرضت للعنف من زوجي",  # with the article
            "قال بده يقتلني",
            "جوزي هيقتلني لو عرف",
            "هددني بالقتل امبارح",
            "بيهددني بالقتل كل يوم",
            "والله رح اقتل حالي، ما عاد فيني",
            "بدي انتحر",
            "هنتحر لو فضلت معاه",
            "بخاف من جوزي كتير",
            "أهلي بدهم يزوجوني غصب عني",
            "قال رح ياخد ولادي مني ويسافر",
            "يهددني انه ياخذ اولادي مني",
            "نفسي اموت وارتاح",
            "امبارح قتلني ضرب",
            "ابوي يجبرني على الزواج من ابن عمي",
            "رح يحرمني من اولادي",
        ),
        (
            "أحتاج مساعدة في رسالة من البلدية",
            "أولادي يحتاجون مساعدة في الواجبات المدرسية",
            "هل يمكنك أن تتصل بي غدا؟",
            "زوجي اتصل بي اليوم",
            "الشغل قتلني اليوم، رح نام بكير",
            "البرد قتلني امبارح",
            "زوجي ياخذ اولادي للمدرسة كل يوم",
        ),
    ),
    "tr": (
        (
            "Kocam beni dövüyor, ne yapacağımı bilmiyorum",
            "Kocamdan korkuyorum, beni öldürmekle tehdit ediyor",
            "kocam beni dovuyor",  # typed without Turkish letters
            "BENİ DÖVÜYOR",
            "İMDAT lütfen",
            "Ölmek istiyorum artık",
            "Kocam bana el kaldırıyor",
            "Dün bana tokat attı",
            "Kocamdan dayak yiyorum",
            "Kocam bana dayak atıyor",
            "Bana seni öldürürüm dedi",
            "kocam dovuyo",  # spoken spelling, without Turkish letters
            "Kocam dövdü beni",
            "İntihara kalkıştım",
            "Tecavüze uğradım",
            "ölmek istiyom artık",  # spoken spelling
            "Yaşamak istemiyorum",
            "Canıma kıyacağım",
            "Beni kurtarın lütfen",
            "Beni eve kilitledi",
            "Çocukları kaçıracağını söylüyor",
            "Beni ölümle tehdit ediyor",
        ),
        (
            "Belediyeden gelen bir mektup için yardıma ihtiyacım var",
            "Çocuklarımın ödevlerine yardım lazım",
            "Yarın beni arayabilir misin?",
            "Döviz kuru bugün çok yüksek",
            "Kocam döviz bürosunda çalışıyor",
            "Kocam dövme yaptırdı",
            "Bugün şiddetli yağmur var",
            "Beni kurtardın, çok teşekkür ederim",
            "Çocukları okula götürdüm",
        ),
    ),
    "kmr": (
        (
            "Mêrê min li min dixe, ez ditirsim",
            "Ez dixwazim bimirim, êdî nikarim",
            "mere min li min dixe",  # without ê
            "Ew dibêje ew ê min bikuje",
            "Wî ez kutam",
            "Mêrê min her şev li min dixist",
            "Wî ez lêxistim",
            "Ez dixwazim bimrim",
            "Êdî naxwazim bijîm",
            "Ew ê zarokan ji min bistîne",
            "Dixwazin min bi zorê bizewicînin",
            "Ez ji zilamê xwe ditirsim",
            "Tundiya malbatî heye",  # with the case ending
            "Tecawizî min kir",
            "Min xilas bike!",
            "Ew min di malê de digire",
        ),
        (
            "Ji bo nameyeke ji şaredariyê alîkarî hewce dikim",
            "Zarokên min ji bo karê malê alîkarî dixwazin",
            "Tu dikarî sibê telefonî min bikî?",
            "Wî duh telefonî min kir",
            "Zarokan ji min pirsîn ka em kengî diçin parkê",
            "Pereyan ji min bistîne û bide wî",
            "Ez dixwazim li vir bijîm",
        ),
    ),
    "ckb": (
        (
            "مێردەکەم هەموو ڕۆژێک لێم دەدات",
            "ئیتر ناتوانم، دەمەوێت بمرم",
            "میردەکەم لیم دەدات",  # typed on a Persian keyboard, without Sorani letters
            "لە مێردەکەم دەترسم",
            "مێردەکەم هەموو شەوێک لێم ئەدات",
            "دوێنێ لێی دام",
            "دەیەوێت بمکوژێت",
            "ئەمکوژێ",
            "ئەمەوێ بمرم",
            "ئیتر نامەوێت بژیم",
            "خۆم ئەکوژم",
            "فریام کەوە تکایە",
            "بە زۆر شووم پێ دەکەن",
            "هەڕەشەی کوشتنم لێ دەکات",
            "ئەم توندوتیژییە ناتوانم",
            "لە مێردم دەترسم",
            "منداڵەکانم لێ ئەسێنێت",
            "دەستدرێژییان کردە سەرم",
        ),
        (
            "پێویستم بە یارمەتییە بۆ نامەیەک لە شارەوانییەوە",
            "منداڵەکانم یارمەتییان پێویستە بۆ ئەرکی ماڵەوە",
            "دەتوانیت سبەی تەلەفۆنم بۆ بکەیت؟",
            "دەمەوێت فێری زمانی دانیمارکی بم",
            "دەمەوێت لێرە بژیم",
        ),
    ),
    "so": (
        (
            "Ninkaygu wuu i garaacaa maalin kasta",
            "Waxaan ka baqayaa ninkayga, wuxuu yiri wuu i dili doonaa",
            "Waxaan rabaa inaan dhinto",
            "WUU I GARAACAY SHALAY",
            "Wuxuu doonayaa inuu i dilo",
            "Ninkeyga waan ka baqaa",
            "Waxaan ka baqayaa ninkeyga",
            "Waxaan rabaa in aan dhinto",
            "Waan is dilayaa",
            "Wuu i tumay shalay",
            "Waa la i jirdilay",
            "Carruurtayda iga qaadayaa",
            "Tacaddi ayaa la ii geystay",
            "Qolka igu xiray",
        ),
        (
            "Waxaan u baahanahay caawimaad warqad ka timid degmada",
            "Carruurtaydu waxay u baahan yihiin caawimaad casharrada guriga",
            "Ma i soo wici kartaa berri?",
            "Wuu i soo wacay shalay",
            "Carruurtu way isku ciyaarayaan",
            "Taleefanka ayuu igu xiray",
            "İş dilekçesi yazmam lazım",  # Turkish: not Somali 'is dil*'
            "The doctor said the cervix is dilated",  # not Somali 'is dil*'
        ),
    ),
    "uk": (
        (
            "Чоловік б'є мене, коли п'є",
            "Я боюся чоловіка, він погрожує вбити",
            "він бʼє мене кожного дня",  # modifier letter apostrophe
            "РЯТУЙТЕ",
            "Я хочу померти",
            "Чоловік мене побив, я боюся йти додому",
            "Він мене вдарив при дітях",
            "не хочеться жити, нема сил",
            "Він уб'є мене, якщо я піду",
            "Він мене замкнув у квартирі і не випускає з дому",
            "Каже, що відбере в мене дітей",
            "боюся свого чоловіка",
            "chоловік б'є мене",  # Latin ch, Cyrillic rest
            "думаю про суїцид",
            "хочу вмерти",
        ),
        (
            "Мені потрібна допомога з листом від комуни",
            "Дітям потрібна допомога з домашнім завданням",
            "Можеш зателефонувати мені завтра?",
            "Він мені вчора подзвонив",
            "Чоловік забере дітей зі школи о третій",
            "Мені треба допомога з листом від комуни",
            "Дитина вдарилася об стіл, але все добре",
            "Можна записатися на курси данської?",
        ),
    ),
    "ur": (
        (
            "میرا شوہر مجھے مارتا ہے",
            "میں مرنا چاہتی ہوں، اب برداشت نہیں ہوتا",
            "mera shohar mujhe marta hai",  # Roman Urdu
            "میرا شوهر مجهے مارتا هے",  # typed with Persian/Arabic letters
            "وہ کہتا ہے کہ جان سے مار دے گا",
            "مجھے اپنے شوہر سے ڈر لگتا ہے",
            "میں اپنے شوہر سے ڈرتی ہوں",
            "اس نے مجھے کمرے میں بند کر دیا",
            "کل رات اس نے مجھے مارا",
            "وہ مجھ پر ہاتھ اٹھاتا ہے",
            "میرا شوہر مارتا ہے",
            "اس نے قتل کی دھمکی دی",
            "میں اب جینا نہیں چاہتی",
            "میں اپنی جان لے لوں گی",
            "گھر والے زبردستی نکاح کروا رہے ہیں",
            "mujhe bachao please",  # Roman Urdu/Hindi
            "main khud kushi kar lungi",  # Roman Urdu
            "main khudkushi kar lungi",  # Roman Urdu, one word
        ),
        (
            "مجھے بلدیہ کے خط کے لیے مدد چاہیے",
            "میرے بچوں کو ہوم ورک میں مدد چاہیے",
            "کیا آپ کل مجھے فون کر سکتی ہیں؟",
            "میں اپنے شوہر سے ڈرائیونگ سیکھ رہی ہوں",
            "میں نے شوہر سے درخواست کی کہ وہ بچوں کو لے آئیں",
            "سردیوں میں سارا دن گھر میں بند رہتی ہوں",
        ),
    ),
    "fa": (
        (
            "شوهرم هر شب منو میزنه",
            "از شوهرم می‌ترسم",
            "از شوهرم مي‌ترسم",  # Arabic yeh
            "دیگه نمی‌تونم، میخوام بمیرم",
            "گفت منو می کشه",
            "شوهرم منو كتك ميزنه",  # Arabic kaf and yeh
            "شوهرم دست بزن داره",
            "دیشب منو زد",
            "گفت می‌کشمت",
            "خودمو می‌کشم",
            "دلم میخواد بمیرم",
            "شوهرم مرا می‌کشد",
        ),
        (
            "برای یک نامه از کمون به کمک نیاز دارم",
            "بچه‌هام برای تکالیف مدرسه کمک لازم دارن",
            "می‌تونی فردا به من زنگ بزنی؟",
            "دیروز بهم زنگ زد",
            "منو رستوران رو ببین",
            "دکمه منو رو زدم ولی باز نشد",
            "بچه‌ها دست بزنید",
        ),
    ),
    "fa_AF": (
        (
            "شوهرم مرا لت و کوب می‌کند",
            "از شوهرم می‌ترسم، مرا می‌کشد",
            "می‌خواهم بمیرم",
            "شوهرم مره لت میکنه",
            "شوهرم مره میزنه",
            "دیشب مرا زد",
            "شوهرم مره لت کده",
            "مرا لت کرده",
            "از شوهرم ترس دارم",
            "گفت ترا می‌کشم",
            "میخواهم خود خوده بکشم",
            "فامیلم عروسی اجباری می‌کنند",
            "شوهرم در خانه بندم کرده",
            "اولادهایم را از من می‌گیرد",
            "بچه هایم را از من میگیره",
            "شوهرم مرا می‌زند",
        ),
        (
            "برای یک مکتوب از شاروالی به کمک ضرورت دارم",
            "اولادهایم برای کارخانگی مکتب کمک کار دارند",
            "می‌توانید فردا به من زنگ بزنید؟",
            "امروز در خانه بندم، فردا زنگ می‌زنم",
            "من بند استم، بعداً گپ می‌زنیم",
        ),
    ),
    "pl": (
        (
            "Mąż mnie bije i boję się wrócić do domu",
            "Boję się męża, powiedział że mnie zabije",
            "boje sie meza",  # without Polish letters
            "RATUNKU",
            "Chcę umrzeć",
            "Mąż mnie pobił",
            "On mnie uderzył przy dzieciach",
            "Mąż się nade mną znęca",
            "chce sie zabic",  # without Polish letters
            "Nie chce mi się żyć",
            "Nie chcę już żyć",
            "zostałam zgwałcona",
            "Rodzice zmuszają mnie do ślubu",
            "Mąż mnie zamknął w mieszkaniu",
            "Boję się wracać do domu",
            "maz mnie bije",
        ),
        (
            "Potrzebuję pomocy z listem z gminy",
            "Moje dzieci potrzebują pomocy w odrabianiu lekcji",
            "Czy możesz do mnie zadzwonić jutro?",
            "Jestem cała przemoczona od deszczu",
            "Czy możesz odebrać mi dzieci z przedszkola?",
            "Mogłabyś do mnie zadzwonić jutro?",
        ),
    ),
    "ro": (
        (
            "Soțul mă bate aproape în fiecare zi",
            "Mi-e frică de soțul meu, a zis că mă omoară",
            "sotul ma bate",  # without Romanian letters
            "Soţul m-a bătut aseară",  # t with cedilla
            "Vreau să mor",
            "A zis că mă omoară",
            "Mă omoară în bătaie",
            "Vreau să mă sinucid",
            "vreau sa ma omor",  # without Romanian letters
            "Nu mai vreau să trăiesc",
            "Părinții mă mărită cu forța",
            "Mă obligă să mă mărit cu el",
            "M-a închis în casă",
            "Nu mă lasă să ies din casă",
            "Amenință că o să-mi ia copiii",
            "Mi-e frică de bărbatul meu",
        ),
        (
            "Am nevoie de ajutor cu o scrisoare de la primărie",
            "Copiii mei au nevoie de ajutor la teme",
            "Mă poți suna mâine?",
            "Mă bate gândul să mă mut",
            "Mă omoară durerea de spate",
            "Căldura asta mă omoară",
            "Vreau să mă mărit la vară",
        ),
    ),
    "bs": (
        (
            "Muž me tuče kad se napije",
            "Bojim se muža, rekao je da će me ubiti",
            "muz me tuce",  # without č, ž
            "Upomoć, zaključao me u stanu",
            "Muž me bije kad se napije",
            "On me maltretira godinama",
            "On me je zaključao u stan",
            "Hoću da se ubijem",
            "ne zelim vise zivjeti",  # without ž, š
            "razmisljam o samoubojstvu",  # Croatian, without š
            "ubice me",  # without č
        ),
        (
            "Trebam pomoć oko pisma iz općine",
            "Djeca trebaju pomoć sa zadaćom",
            "Možeš li me nazvati sutra?",
            "Zvao me je jučer",
            "Možeš li uzeti djecu iz vrtića?",
            "Zvala sam doktora jučer",
            "Boli me glava danas",
        ),
    ),
    "th": (
        (
            "สามีตีฉันทุกวัน ฉันกลัวมาก",
            "ฉันอยากตาย ไม่ไหวแล้ว",
            "ช่วยด้วยค่ะ เขาขังฉันไว้ในบ้าน",
            "เขาขู่ฆ่าฉัน",
            "ผัวทำร้ายร่างกายหนูทุกคืน",
            "หนูโดนผัวตีอีกแล้วค่ะ",
            "เขาขู่ว่าจะฆ่าถ้าไปแจ้งตำรวจ",
            "เขาขู่จะฆ่าทั้งแม่ทั้งลูก",
            "ไม่อยากมีชีวิตอยู่แล้ว",
            "ช่วยหนูด้วยค่ะ เขาจะแย่งลูกไป",
            "พ่อแม่บังคับให้แต่งงานกับคนที่ไม่รู้จัก",
            "เมื่อคืนโดนทำร้ายอีก",
            "แฟนชอบตีเรา",
        ),
        (
            "ช่วยดูจดหมายจากเทศบาลให้หน่อยได้ไหมคะ",
            "ลูกต้องการความช่วยเหลือเรื่องการบ้าน",
            "พรุ่งนี้โทรหาฉันได้ไหม",
            "เขาโทรหาฉันเมื่อวาน",
            "บริษัทคู่แข่งแย่งลูกค้าไปหมดเลย",
            "เด็กๆ แย่งลูกบอลกันที่สนาม",
            "สามีไปตีกอล์ฟกับเพื่อน",
            "ตีสองแล้วยังไม่ได้นอนเลย",
            "ปาร์ตี้เราเมื่อวานสนุกมาก",
            "ยาฆ่าหนูอันตรายกับเด็ก",
        ),
    ),
    "fil": (
        (
            "Binubugbog ako ng asawa ko tuwing lasing siya",
            "Natatakot ako sa asawa ko, sabi niya papatayin niya ako",
            "Gusto ko nang mamatay",
            "SAKLOLO po",
            "Sabi nya papatayin nya ako",
            "Papatayin daw ako ng asawa ko pag umalis ako",
            "Gusto ko ng mamatay",
            "Ayoko nang mabuhay",
            "ayoko na mabuhay",
            "Magpapakamatay na lang ako",
            "Sinuntok ako ng asawa ko kagabi",
            "Sinusuntok ako pag lasing siya",
            "Pinipilit akong magpakasal ng pamilya ko",
            "narape ako",  # joined, without the hyphen
            "Takot ako sa mister ko",
            "Ilalayo nya ang mga anak ko sa akin",
        ),
        (
            "Kailangan ko ng tulong sa sulat mula sa munisipyo",
            "Kailangan ng mga anak ko ng tulong sa assignment",
            "Pwede mo ba akong tawagan bukas?",
            "Papatayin ko muna ang ilaw bago matulog",
            "Papatayin ko muna ang TV bago matulog",
            "Gusto ko na matulog, pagod na ako",
            "Ayoko na mag-aral ng Danish, ang hirap",
            "Hindi ako nasaktan, okay lang ako",
            "Sinundo ako ng mister ko sa trabaho",
        ),
    ),
    "vi": (
        (
            "Chồng tôi đánh tôi mỗi khi say rượu",
            "Tôi muốn chết, không chịu nổi nữa",
            "chong toi danh toi",  # typed without marks
            "CỨU TÔI VỚI",
            "Anh ấy dọa giết em",
            "Chồng em doạ giết em nếu em bỏ đi",  # old-style tone placement: doạ, not dọa
            "Nó doạ giết cả nhà",
            "Em bị ép lấy chồng",
            "Em không muốn sống nữa",
            "khong muon song nua",  # typed without marks
            "chong doa giet toi",  # typed without marks
            "em bi chong danh hoai",  # typed without marks
            "Con gái tôi bị xâm hại",
            "Bố mẹ ép gả em cho người lạ",
        ),
        (
            "Tôi cần giúp đỡ với lá thư từ kommune",
            "Các con tôi cần giúp làm bài tập về nhà",
            "Ngày mai bạn gọi cho tôi được không?",
            "Từ từ thôi, không vội đâu",
            "Bí danh của tôi là Lan",
            "Tôi không muốn sống ở thành phố lớn",
            "Em đánh giá cao sự giúp đỡ của chị",
            "Bí danh của tôi là Hoa",
            "Ngày mai em gọi cho chị nhé",
        ),
    ),
    "ta": (
        (
            "என் கணவர் என்னை அடிக்கிறார்",
            "நான் தற்கொலை செய்ய நினைக்கிறேன்",
            "அவன் என்னைக் கொல்லப் போகிறான்",
            "அவர் எனக்கு அடிக்கிறார்",
            "என்னை கொன்னுடுவேன் என்று மிரட்டுகிறான்",
            "செத்துப் போகணும் போல இருக்கு",
            "காப்பாத்துங்க",
            "என் கணவர் என்னை துன்புறுத்துகிறார்",
            "பிள்ளைகளைப் பறித்துவிடுவேன் என்கிறார்",
            "கட்டாய கல்யாணம் செய்து வைக்கிறார்கள்",
            "பாலியல் பலாத்காரம் செய்யப்பட்டேன்",
            "எனக்கு வாழ விருப்பமில்லை",
            "அவசர உதவி வேண்டும்",
        ),
        (
            "நகராட்சியிலிருந்து வந்த கடிதத்திற்கு எனக்கு உதவி வேண்டும்",
            "என் குழந்தைகளுக்கு வீட்டுப்பாடத்தில் உதவி தேவை",
            "நாளை என்னை அழைக்க முடியுமா?",
            "அவர் நேற்று என்னை அழைத்தார்",
            "அவர் என்னை அடிக்கடி அழைக்கிறார்",
            "மிக்க நன்றி, உடனே உதவி செய்தீர்கள்",
            "என் கணவர் என்னை கொண்டு போய் விட்டார்",
            "எனக்கு அடிக்கடி தலைவலி வருகிறது",
            "நீங்கள் என்னை அடிக்கடி நினைவுபடுத்துங்கள்",
        ),
    ),
    "ru": (
        (
            "Муж бьёт меня, я боюсь идти домой",
            "Я хочу умереть",
            "муж бьет меня",  # е for ё
            "ПОМОГИТЕ СРОЧНО",
            "Он угрожает убить меня",
            "Муж меня избил вчера",
            "Он меня ударил при детях",
            "мысли о суициде",
            "не хочется жить",
            "я покончу с собой",
            "Он меня запер и не выпускает из дома",
            "Боюсь идти домой",
            "Он сказал, что отберёт у меня детей",
            "муж меня избивает",
        ),
        (
            "Мне нужна помощь с письмом из коммуны",
            "Детям нужна помощь с домашним заданием",
            "Можешь позвонить мне завтра?",
            "Он мне вчера звонил",
            "Муж заберёт детей из школы",
            "Можно записаться на курсы датского?",
            "Он меня вчера встретил у школы",
        ),
    ),
    "ps": (
        (
            "خاوند مې ما وهي، مرسته غواړم",
            "وايي چې ما به ووژني",
            "زه د ځان وژنې په اړه فکر کوم",
            "په کور کې بنده یم، تاوتریخوالی دی",
            "خاوند مې ما ټکوي",
            "پرون یې ووهلم",
            "غواړي چې ما ووژني",
            "نور غواړم مړه شم",
            "ځان به ووژنم",
            "ما وژغوره",
            "په زور مې واده کوي",
            "جبري واده نه غواړم",
            "ماشومان مې رانه واخلي",
            "زه د مېړه نه ډارېږم",
            "زه له خپل مېړه نه ډارېږم",
            "دلته تاو تریخوالی دی",
            "کاشکې مړه شم",
        ),
        (
            "د ښاروالۍ له یوه لیک سره مرستې ته اړتیا لرم",
            "زما ماشومان د کور کار لپاره مرستې ته اړتیا لري",
            "ایا سبا ما ته زنګ وهلی شې؟",
            "پرون یې ما ته زنګ ووهه",
            "ماشومان رانه خفه دي",
            "ما ته یې زنګ ووهه",
        ),
    ),
    "zh_Hans": (
        (
            "我老公经常打我，我很害怕",
            "我不想活了",
            "救命！他把我锁在家里",
            "他说要杀了我",
            "他打了我一巴掌",
            "我被老公打了",
            "他说要弄死我",
            "我有轻生的念头",
            "他威胁要抢走我的孩子",
            "他把我关在房间里",
            "我被性侵了",
            "喝醉了就要打死我",
            "离婚后他不让我见孩子",
            "他把我关起来了",
        ),
        (
            "我需要帮忙看一封市政府的信",
            "我的孩子做作业需要帮助",
            "你明天可以打我电话吗？",
            "他昨天打我手机了",
            "他昨天打了我好几个电话",
            "打死我也不信",
            "早上被老公打电话叫醒",
            "我想把孩子的照片发给你",
            "他昨天打了我一个电话",
        ),
    ),
    "lt": (
        (
            "Vyras mane muša, kai išgeria",
            "Bijau savo vyro, jis grasina nužudyti",
            "Nebegaliu, noriu mirti",
            "vyras mane musa",  # without Lithuanian letters
            "Vyras mane sumušė",
            "Jis mane užmuš",
            "Vyras man trenkė",
            "Nebenoriu gyventi",
            "Tėvai verčia mane tekėti",
            "Vyras mane užrakino bute",
            "Jis neišleidžia iš namų",
            "vyras mane muša",
        ),
        (
            "Man reikia pagalbos dėl laiško iš savivaldybės",
            "Mano vaikams reikia pagalbos su namų darbais",
            "Ar galite man paskambinti rytoj?",
            "Vyras paims vaikus iš mokyklos",
            "Noriu užsirašyti į danų kalbos kursus",
        ),
    ),
    "fr": (
        (
            "Mon mari me frappe quand il boit",
            "J'ai peur de mon mari, il a dit qu'il va me tuer",
            "il m’a frappée hier soir",  # typographic apostrophe
            "AU SECOURS",
            "on veut me marier de force",
            "Mon mari me bat",
            "il ma tabassée hier",  # without the apostrophe
            "Il me cogne",
            "j'ai envie de mourir",
            "je veux plus vivre",
            "je vais me foutre en l'air",
            "Ils m'ont mariée de force",
            "il m'a enfermée dans la chambre",
            "Il veut m'enlever les enfants",
            "Il me menace",
            "il m'a étranglée",
            "j'ai peur de rentrer chez moi",
            "il ma frappe",  # without the apostrophe and the accent
        ),
        (
            "J'ai besoin d'aide pour une lettre de la mairie",
            "Mes enfants ont besoin d'aide pour les devoirs",
            "Tu peux m'appeler demain ?",
            "Il m'a appelée hier",
            "Ma fille joue du violon",
            "Je me bat tous les jours pour mes enfants",
            "Tu peux me prendre mes enfants mercredi ?",
            "J'ai acheté du fromage râpé",  # not 'rape' with the accent folded
        ),
    ),
    "ti": (
        (
            "ሰብኣየይ ኩሉ ግዜ ይወቕዐኒ",
            "ክመውት እደሊ እየ",
            "ክቐትለኒ እዩ ኢሉ",
            "ሰብኣየይ ይወቅአኒ",  # አ for ዐ, ቅ for ቕ
            "ንሰብኣየይ እፈርሖ እየ",
            "ሰብኣየይ ወቒዑኒ",
            "ንርእሰይ ክቐትል እየ",
            "ኣድሕንኒ",
            "አድሕኑኒ",
            "ክቐትለኪ እየ ኢሉኒ",
            "ደቀይ ካባይ ክወስዶም እዩ",
            "ደቀይ ክወስዶም'ዩ ኢሉ",
            "ትማሊ ጸፍዓኒ",
            "ሰብኣየይ ሃረመኒ",
        ),
        (
            "ካብ ምምሕዳር ዝመጸ ደብዳቤ ሓገዝ የድልየኒ",
            "ደቀይ ኣብ ዕዮ ገዛ ሓገዝ የድልዮም",
            "ጽባሕ ክትድውልለይ ትኽእሊ ዶ?",
            "ጽባሕ ደቀይ ክወስዶም እየ ናብ ሓኪም",
        ),
    ),
    "sw": (
        (
            "Mume wangu ananipiga kila siku",
            "Ninamwogopa mume wangu, anasema atakuniua",
            "Nataka kufa",
            "Alinibaka",
            "Nimebakwa",
            "Niokoeni tafadhali",
            "Wazazi wananilazimisha kuolewa",
            "Nililazimishwa kuolewa nikiwa mdogo",
            "Amenifungia chumbani siku tatu",
            "Sitaki kuishi tena",
            "Nataka kujitoa uhai",
            "Alinidunga kisu",
            "Mume wangu ananitandika kila siku",
            "Nataka nijiue",
        ),
        (
            "Nahitaji msaada kuhusu barua kutoka manispaa",
            "Watoto wangu wanahitaji msaada wa kazi za nyumbani",
            "Unaweza kunipigia simu kesho?",
            "Alinipiga simu jana",
            "Alinipiga picha nzuri harusini",
            "Nataka kufanya kazi kesho",
            "Mama ananitandikia kitanda",
            "Nimebaki nyumbani leo",  # not *bakwa
            "Sitaki kuishi hapa milele, nataka kuhamia Aarhus",
            "Alinipiga faini ya maegesho",
        ),
    ),
    "bg": (
        (
            "Мъжът ми ме бие, когато пие",
            "Страх ме е от мъжа ми, каза че ще ме убие",
            "Искам да умра",
            "Мъжът ми ме удари снощи",
            "Той ме пребива, когато пие",
            "Мъжът ми ме заключи в апартамента",
            "Ще се самоубия",
            "Каза, че ще ме утрепе",
            "Не искам да живея вече",
            "Не ме пуска да изляза от вкъщи",
            "Насила ме омъжват",
            "muzhat mi me bie",  # Bulgarian in Latin letters
            "shte me ubie",  # Bulgarian in Latin letters
            "iskam da umra",  # Bulgarian in Latin letters
            "Мъжът ми ме бие",
        ),
        (
            "Имам нужда от помощ с писмо от общината",
            "Децата ми имат нужда от помощ с домашните",
            "Можеш ли да ми се обадиш утре?",
            "Съседката ще ми вземе децата от училище",
            "Можеш ли да ми помогнеш с формуляра?",
            "Обади ми се утре, моля",
        ),
    ),
    "hi": (
        (
            "मेरा पति मुझे मारता है",
            "मैं मरना चाहती हूँ",
            "mera pati mujhe marta hai",  # Roman Hindi
            "घर वाले ज़बरदस्ती शादी करवा रहे हैं",  # with nukta
            "घर वाले जबरदस्ती शादी करवा रहे हैं",  # without
            "मेरे पति ने मुझे मारा",
            "वो मुझ पर हाथ उठाता है",
            "अब जीना नहीं चाहती",
            "घर में मार पीट होती है",
            "मैं आत्म हत्या कर लूंगी",
            "वो कहता है मुझे मार देगा",
            "usne jaan se maarne ki dhamki di",  # Roman Hindi
            "मेरा रेप हुआ",
            "मुझे शादी के लिए मजबूर कर रहे हैं",
            "जल्दी मदद करो",
            "mujhe bachao please",  # Roman Urdu/Hindi
        ),
        (
            "मुझे नगरपालिका के पत्र के लिए मदद चाहिए",
            "मेरे बच्चों को होमवर्क में मदद चाहिए",
            "क्या आप मुझे कल फोन कर सकती हैं?",
            "गांधी जी अहिंसा में विश्वास करते थे",
            "mujhe market jana hai",
            "आपकी जल्दी मदद के लिए धन्यवाद",
            "आज घर में बंद गोभी की सब्जी बनाई",
            "वो मुझे जान से प्यारा है",
            "मैं जीना सीख रही हूँ",
        ),
    ),
    "pa": (
        (
            "ਮੇਰਾ ਪਤੀ ਮੈਨੂੰ ਕੁੱਟਦਾ ਹੈ",
            "ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦੀ ਹਾਂ",
            "ਮੈਨੂੰ ਬਚਾਓ, ਉਹ ਮੈਨੂੰ ਮਾਰ ਦੇਵੇਗਾ",
            "ਮੇਰਾ ਪਤੀ ਮੈਨੂੰ ਕੁਟਦਾ ਹੈ",  # without addak
            "ਮੇਰੇ ਘਰਵਾਲੇ ਨੇ ਮੈਨੂੰ ਕੁੱਟਿਆ",
            "ਉਹ ਕਹਿੰਦਾ ਮੈਨੂੰ ਜਾਨੋਂ ਮਾਰ ਦੇਊਗਾ",
            "ਘਰ 'ਚ ਬੰਦ ਕਰ ਕੇ ਰੱਖਦਾ",  # ਘਰ 'ਚ for ਘਰ ਵਿੱਚ
            "ਧੱਕੇ ਨਾਲ ਵਿਆਹ ਕਰ ਰਹੇ ਨੇ",
            "ਮੈਂ ਜੀਣਾ ਨਹੀ ਚਾਹੁੰਦੀ",
            "ਘਰਵਾਲੇ ਤੋਂ ਡਰ ਲੱਗਦਾ",
            "ਕੁੱਟ ਮਾਰ ਕਰਦਾ ਹੈ",
            "میرا بندا مینوں ماردا اے",  # Punjabi in Shahmukhi
            "menu kutda hai",  # Roman Punjabi
            "ਮੈਨੂੰ ਬਚਾ ਲਓ",
        ),
        (
            "ਮੈਨੂੰ ਨਗਰਪਾਲਿਕਾ ਦੀ ਚਿੱਠੀ ਲਈ ਮਦਦ ਚਾਹੀਦੀ ਹੈ",
            "ਮੇਰੇ ਬੱਚਿਆਂ ਨੂੰ ਹੋਮਵਰਕ ਵਿੱਚ ਮਦਦ ਚਾਹੀਦੀ ਹੈ",
            "ਕੀ ਤੁਸੀਂ ਮੈਨੂੰ ਕੱਲ੍ਹ ਫ਼ੋਨ ਕਰ ਸਕਦੇ ਹੋ?",
            "ਅੱਜ ਘਰ ਵਿੱਚ ਬੰਦ ਗੋਭੀ ਦੀ ਸਬਜ਼ੀ ਬਣਾਈ",
            "ਤੁਹਾਡੀ ਜਲਦੀ ਮਦਦ ਲਈ ਧੰਨਵਾਦ",
            "menu dekh ke order karo",
            "ਮੈਨੂੰ ਮਾਰਕੀਟ ਜਾਣਾ ਹੈ",
        ),
    ),
    "sq": (
        (
            "Burri më rreh çdo natë",
            "Kam frikë nga burri, tha se do më vrasë",
            "burri me rreh",  # without ë
            "Kjo është dhunë në familje",
            "Burri më ka rrahur dje",
            "Don me m'vra",  # Gheg
            "Du me vdek",  # Gheg
            "Do ta vras veten",
            "Nuk dua më të jetoj",
            "Më martojnë me zor",
            "Më ka mbyllur në shtëpi",
            "S'më lë të dal nga shtëpia",
            "Kam frikë prej burrit",
            "Do të m'i marrë fëmijët",
        ),
        (
            "Kam nevojë për ndihmë me një letër nga komuna",
            "Fëmijët e mi kanë nevojë për ndihmë me detyrat e shtëpisë",
            "A mund të më telefonosh nesër?",
            "Më vret koka sot",  # my head hurts
            "Më rreh zemra fort para provimit",
            "A mund të më marrësh fëmijët nga shkolla?",
        ),
    ),
    "de": (
        (
            "Mein Mann schlägt mich, wenn er trinkt",
            "Ich habe Angst vor meinem Mann, er will mich umbringen",
            "ICH WILL STERBEN",
            "mein mann schlagt mich",  # without umlaut
            "Er bringt mich um!",
            "Er will mich töten",
            "Mein Mann misshandelt mich",
            "Er hat mich gewürgt",
            "Ich möchte sterben",
            "Ich will mir das Leben nehmen",
            "Ich soll zwangsverheiratet werden",
            "Er lässt mich nicht raus",
            "Er will mir die Kinder wegnehmen",
            "Ich habe Angst nach Hause zu gehen",
        ),
        (
            "Ich brauche Hilfe mit einem Brief von der Kommune",
            "Meine Kinder brauchen Hilfe bei den Hausaufgaben",
            "Kannst du mich morgen anrufen?",
            "Er hat mich gestern angerufen",
            "Helft mir bitte mit dem Brief von der Kommune",
            "Die Hitze bringt mich um",
            "Der Schrank ließ sich nur mit Mühe öffnen",
        ),
    ),
    "am": (
        (
            "ባሌ በየቀኑ ይመታኛል",
            "መሞት እፈልጋለሁ",
            "ሊገድለኝ ነው፣ አድኑኝ",
            "መሞት፡እፈልጋለሁ",  # Ethiopic word space
            "ፆታዊ ጥቃት ደርሶብኛል",  # ፆ for ጾ
            "መሞት እፈልጋለው",
            "ድረሱልኝ!",
            "ባለቤቴን እፈራዋለሁ",
            "እገድልሻለው አለኝ",
            "ራሴን ላጠፋ ነው",
            "ራሴን አጠፋለው",
            "ቤተሰቦቼ በግድ ሊድሩኝ ነው",
            "ልጆቼን ሊነጥቀኝ ነው",
            "አድኚኝ እባክሽ",
        ),
        (
            "ከማዘጋጃ ቤት ለመጣ ደብዳቤ እርዳታ እፈልጋለሁ",
            "ልጆቼ በቤት ሥራ እርዳታ ያስፈልጋቸዋል",
            "ነገ ልትደውይልኝ ትችያለሽ?",
            "ትናንት ደወለልኝ",
            "ትናንት ስልክ መታልኝ",
            "ደብዳቤውን አድርሱልኝ",
        ),
    ),
    "es": (
        (
            "Mi marido me pega cuando bebe",
            "Tengo miedo de mi marido, dice que me va a matar",
            "me golpeo ayer",  # without the accent
            "SOCORRO",
            "Tengo miedo de mi esposo",
            "Mis padres me obligan a casarme",
            "Mi marido no me deja salir de casa",
            "Me va a quitar a mis hijos",
            "Mi esposo me maltrata",
            "Me quiero matar",
            "Ya no quiero vivir",
            "Me amenaza todos los días",
            "me violaron",
        ),
        (
            "Necesito ayuda con una carta del ayuntamiento",
            "Mis hijos necesitan ayuda con los deberes",
            "¿Puedes llamarme mañana?",
            "Quiero casarme en verano",
        ),
    ),
    "da": (
        (
            "Min mand slår mig, når han drikker",
            "Jeg er bange for min mand",
            "Han truer med at slå mig ihjel",
            "han slar mig",  # without å
            "Jeg er blevet udsat for vold",
            "Min kæreste slår mig",
            "han slå mig hver dag",
            "Han har slået mig igen",
            "Min mand er voldelig",
            "Jeg har selvmordstanker",
            "Jeg vil ikke leve mere",
            "Han tog kvælertag på mig",
            "Han har låst mig inde",
            "Jeg bliver tvunget til at gifte mig",
            "Han vil tage mine børn fra mig",
            "Han truer mig",
            "Jeg er bange for at tage hjem",
            "Han voldtog mig",
        ),
        (
            "Jeg har brug for hjælp til et brev fra kommunen",
            "Mine børn har brug for hjælp til lektierne",
            "Kan du ringe til mig i morgen?",
            "Det slår mig, at bussen altid er forsinket",
            "Nøglerne er låst inde i bilen",
            "Det har slået mig, at bussen er forsinket",
            "Kan du tage mine børn i morgen?",
            "Vi vil gerne slå os ned i Aarhus",
        ),
    ),
    "en": (
        (
            "My husband hits me when he is drunk",
            "I am scared of my husband, he threatens to kill me",
            "I WANT TO DIE",
            "please help me now he is coming",
            "My husband hurts me",
            "He is abusive",
            "He choked me last night",
            "I want to end my life",
            "I dont want to live anymore",  # without the apostrophe
            "I am afraid to go home",
            "He won't let me leave the house",
            "He raped me",
            "I was raped",
        ),
        (
            "I need help with a letter from the municipality",
            "My children need help with their homework",
            "Can you call me tomorrow?",
            "He called me yesterday",
            "Beats me, I don't know where the form is",
            "Can you take my children to school tomorrow?",
            "My son keeps asking about football",
        ),
    ),
}

MUST = [(locale, text) for locale, (must, _) in CASES.items() for text in must]
MUST_NOT = [(locale, text) for locale, (_, must_not) in CASES.items() for text in must_not]
ALL_PHRASES = {normalise(phrase.strip("*")) for phrases in PHRASES.values() for phrase in phrases}


def test_every_interface_language_has_phrases_and_cases() -> None:
    codes = {locale.code for locale in LOCALES}
    assert set(PHRASES) == codes
    assert set(CASES) == codes
    for locale, (must, must_not) in CASES.items():
        assert len(must) >= 2, locale
        assert len(must_not) >= 2, locale


@pytest.mark.parametrize("locale", sorted(PHRASES))
def test_each_language_has_a_short_list_without_repeats(locale: str) -> None:
    phrases = PHRASES[locale]
    assert 8 <= len(phrases) <= 45
    assert len(set(phrases)) == len(phrases)
    assert all(phrase == phrase.strip() and phrase.strip("*") for phrase in phrases)


@pytest.mark.parametrize(("locale", "phrase"), [(code, p) for code, ps in PHRASES.items() for p in ps])
def test_every_phrase_is_found_inside_a_sentence(locale: str, phrase: str) -> None:
    signals = danger_signals(f"... {phrase.strip('*')} ...")
    assert signals, (locale, phrase)
    assert set(signals) <= ALL_PHRASES


@pytest.mark.parametrize(("locale", "text"), MUST)
def test_danger_is_recognised(locale: str, text: str) -> None:
    assert danger_signals(text), (locale, text)


@pytest.mark.parametrize(("locale", "text"), MUST_NOT)
def test_everyday_words_raise_no_alarm_in_any_language(locale: str, text: str) -> None:
    assert danger_signals(text) == (), (locale, text)


def test_the_phrases_found_are_reported_normalised_in_the_order_written() -> None:
    assert danger_signals("Han slår mig. Jeg vil dø.") == ("han slår mig", "jeg vil dø")
    assert danger_signals("زوجي يضربني") == ("ضربنی",)
    assert danger_signals("kocam beni dovuyor") == ("beni döv",)


def test_a_message_in_two_languages() -> None:
    text = "Hej Amina, undskyld mit dårlige dansk. Kocam beni dövüyor, و زوجي بيضربني. Please help me now"
    signals = danger_signals(text)
    assert signals == ("beni döv", "ضربنی", "help me now")


def test_a_phrase_with_an_exception_still_counts_elsewhere_in_the_message() -> None:
    assert danger_signals("他昨天打我电话了。他打我！") == ("打我",)


def test_whole_words_only_where_words_are_spaced() -> None:
    assert danger_signals("The skill meter is broken") == ()  # not "kill me"
    assert danger_signals("violently ill") == ()  # not "violence"
    assert danger_signals("我老公打我") == ("打我",)  # Chinese: no spaces, found inside


def test_empty_and_emoji_only() -> None:
    assert danger_signals("") == ()
    assert danger_signals("   \n ") == ()
    assert danger_signals("🙏😢💔") == ()
    assert danger_signals("👍") == ()


def test_a_long_message_in_many_scripts_raises_no_alarm() -> None:
    # How fast it is checked is measured by the bench (bench/safety.py reports p99 per message, target
    # < 1 ms), not here: a wall-clock bound in a test fails on a busy machine, not on slow code.
    text = (
        "Hej, jeg har brug for hjælp til et brev fra kommunen. أحتاج مساعدة في رسالة من البلدية. "
        "Мне нужна помощь с письмом. 我需要帮忙看一封信。ช่วยดูจดหมายให้หน่อย ከማዘጋጃ ቤት ደብዳቤ "
        "मुझे पत्र के लिए मदद चाहिए ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ எனக்கு உதவி வேண்டும் "
    )
    text = (text * 5)[:500]
    assert len(text) == 500
    assert danger_signals(text) == ()


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  Han   SLÅR\tmig  ", "han slår mig"),
        ("يَضْرِبُنِي", "یضربنی"),  # tashkeel gone, one yeh
        ("يضـــربني", "یضربنی"),  # tatweel gone
        ("كتك", "کتک"),  # one kaf
        ("أريد أن أموت", "ارید ان اموت"),  # one alef
        ("إنه", "انه"),
        ("آمنة", "امنة"),
        ("ＨＥＬＰ", "help"),  # NFKC
        ("m’a", "m'a"),  # one apostrophe
        ("\u2068/stop\u2069", "/stop"),  # no bidi isolates
        ("", ""),
    ],
)
def test_normalise(typed: str, normal: str) -> None:
    assert normalise(typed) == normal


def test_normalise_keeps_the_persian_half_space_and_the_letters_of_other_scripts() -> None:
    assert normalise("می‌زند") == "می\u200cزند"
    assert normalise("Đánh") == "đánh"
    assert normalise("ਮੈਨੂੰ") == "ਮੈਨੂੰ"


@pytest.mark.parametrize(
    "text",
    [
        "钱直接打我卡上就行",  # send the money to my card
        "你能把我关心的问题转给志愿者吗",  # pass the questions I care about to a volunteer
        "He hit me up yesterday about the school trip",  # he messaged me
        "Mama mă bate la cap toată ziua cu școala",  # she keeps nagging me
        "Mi hijo me pegó la gripe",  # my son gave me the flu
    ],
)
def test_idioms_that_look_like_danger_do_not_raise_the_alarm(text: str) -> None:
    assert danger_signals(text) == ()
