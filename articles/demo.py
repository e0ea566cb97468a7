"""Demo content for a fresh installation, and the demo editor's account.

``load_demo()`` fills the site with a small newsroom: five sections, reporters, newsmakers,
sources and a few days of stories with quotes, tags and «Напомним» links, one of them a draft
and one scheduled for later. The stories are fictional. Their images are drawn here, at load
time, so the repository holds no binary files.

Every object has a key (a slug, a username or ``Story.import_ref``), and loading again only adds
what is missing: objects already there, edited or not, are left as they are. An image is drawn
again only when its file has gone from the media storage.
"""

import io
import math
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from .models import Newsmaker, Quote, Section, Source, Story
from .slugs import ascii_slugify

IMPORT_PREFIX = "demo:"
IMAGE_SIZE = (1200, 675)
IMAGE_CREDIT = "Иллюстрация: Newsroom"
PORTRAIT_SIZE = 400

EDITORS_GROUP = "Editors"
# What the Editors group may do; the 0002_editors_group migration grants the same.
EDITOR_MODELS = ("story", "quote", "section", "newsmaker", "source", "tag", "taggedstory")

# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------

SECTIONS = [
    {
        "slug": "kazakhstan",
        "name": "Казахстан",
        "position": 1,
        "description": "Жизнь городов и сёл страны: погода, транспорт, сельское хозяйство.",
    },
    {
        "slug": "politika",
        "name": "Политика",
        "position": 2,
        "description": "Решения Президента, Правительства и Парламента и то, как они меняют жизнь.",
    },
    {
        "slug": "mir",
        "name": "Мир",
        "position": 3,
        "description": "Международные события и отношения Казахстана с соседями и партнёрами.",
    },
    {
        "slug": "ekonomika",
        "name": "Экономика",
        "position": 4,
        "description": "Бизнес, финансы, торговля и цифры, которые важны для каждого кошелька.",
    },
    {
        "slug": "sport",
        "name": "Спорт",
        "position": 5,
        "description": "Матчи, турниры и результаты казахстанских спортсменов дома и за рубежом.",
    },
]

REPORTERS = [
    {"username": "a.nurlanova", "first_name": "Айгерим", "last_name": "Нурланова"},
    {"username": "d.akhmetov", "first_name": "Данияр", "last_name": "Ахметов"},
    {"username": "o.kim", "first_name": "Ольга", "last_name": "Ким"},
]

# Invented people in ordinary public roles.
NEWSMAKERS = [
    {
        "slug": "bauyrzhan-seitkaziev",
        "name": "Бауыржан Сейтказиев",
        "role": "Вице-министр сельского хозяйства Казахстана",
    },
    {
        "slug": "aigul-sarsenova",
        "name": "Айгуль Сарсенова",
        "role": "Начальник управления прогнозов РГП «Казгидромет»",
    },
    {
        "slug": "dana-kasymova",
        "name": "Дана Касымова",
        "role": "Заместитель акима Алматы",
    },
    {
        "slug": "ruslan-erzhanov",
        "name": "Руслан Ержанов",
        "role": "Главный тренер молодёжной сборной Казахстана по футболу",
    },
]

SOURCES = [
    {"slug": "akorda", "name": "Пресс-служба Акорды", "url": "https://www.akorda.kz/"},
    {"slug": "pravitelstvo", "name": "Пресс-служба Правительства РК", "url": ""},
    {"slug": "kazgidromet", "name": "РГП «Казгидромет»", "url": ""},
    {"slug": "minselkhoz", "name": "Министерство сельского хозяйства РК", "url": ""},
    {"slug": "mintrans", "name": "Министерство транспорта РК", "url": ""},
    {"slug": "mid", "name": "МИД Казахстана", "url": ""},
    {"slug": "mazhilis", "name": "Пресс-служба Мажилиса", "url": ""},
    {"slug": "stat", "name": "Бюро национальной статистики", "url": "https://stat.gov.kz/"},
    {"slug": "natsbank", "name": "Национальный банк Казахстана", "url": ""},
    {"slug": "akimat-almaty", "name": "Акимат Алматы", "url": ""},
    {"slug": "akimat-karaganda", "name": "Акимат Карагандинской области", "url": ""},
    {"slug": "akimat-shymkent", "name": "Акимат Шымкента", "url": ""},
    {"slug": "kff", "name": "Казахстанская федерация футбола", "url": ""},
    {"slug": "boxing", "name": "Федерация бокса Казахстана", "url": ""},
]

# What each section's generated illustration shows, for ``image_alt``.
IMAGE_ALT = {
    "kazakhstan": "Иллюстрация: солнце над степными холмами в бирюзовых и золотых тонах",
    "politika": "Иллюстрация: колоннада под фронтоном на тёмно-синем фоне",
    "mir": "Иллюстрация: глобус с меридианами и орбитами на сине-зелёном фоне",
    "ekonomika": "Иллюстрация: столбчатая диаграмма и линия роста на зелёном фоне",
    "sport": "Иллюстрация: дорожки стадиона на оранжевом фоне",
}

# Stories, oldest relations first. ``hours_ago`` places the story relative to the time of loading
# (negative: scheduled for later); ``body`` is paragraphs separated by blank lines; a quote's
# ``position`` is how many paragraphs come before it. ``related`` names earlier stories.
STORIES = [
    {
        "key": "almaty-marathon",
        "section": "sport",
        "headline": "Осенний марафон в Алматы собрал более десяти тысяч участников",
        "lede": "Бегуны из сорока стран вышли на старт у Центрального стадиона.",
        "hours_ago": 141.5,
        "authors": ["a.nurlanova"],
        "sources": ["akimat-almaty"],
        "tags": ["Алматы", "бег", "марафон"],
        "caption": "Осенний марафон прошёл по центральным улицам Алматы",
        "body": """
            В Алматы прошёл осенний городской марафон, сообщает акимат Алматы. На старт вышли
            более 10 тысяч бегунов из 40 стран.

            Участники соревновались на дистанциях 42,2, 21,1 и 10 километров, отдельно прошёл
            забег для детей и семей. Маршрут проложили по центральным проспектам с видом на горы.

            На время забега в центре города перекрывали движение. На трассе работали более
            500 волонтёров, пункты питания и медицинские посты.

            Среди мужчин марафонскую дистанцию быстрее всех преодолел бегун из Кении, среди
            женщин первой финишировала представительница Казахстана.
        """,
    },
    {
        "key": "istanbul-culture-days",
        "section": "mir",
        "headline": "В Стамбуле прошли Дни казахской культуры",
        "lede": "Жители и гости города увидели выставку мастеров и концерт домбристов.",
        "hours_ago": 122,
        "authors": ["o.kim"],
        "sources": ["mid"],
        "tags": ["культура", "дипломатия", "Турция"],
        "caption": "Дни казахской культуры в Стамбуле",
        "body": """
            В Стамбуле завершились Дни культуры Казахстана, сообщает МИД Казахстана.

            Программа включала выставку войлочных ковров и ювелирных украшений мастеров из
            разных регионов страны, показ казахстанских фильмов с турецкими субтитрами и
            мастер-классы по национальной кухне.

            Главным событием недели стал концерт ансамбля домбристов, который прошёл при
            полном зале.

            «Интерес к казахской музыке и ремёслам в Турции очень высок, поэтому мы хотим
            сделать такие дни ежегодными», - отмечается в сообщении ведомства. Следующие Дни
            культуры планируется провести в Анкаре и Измире.
        """,
    },
    {
        "key": "tashkent-boxing",
        "section": "sport",
        "headline": "Казахстанские боксёры завоевали три медали на турнире в Ташкенте",
        "lede": "Золото в весе до 63,5 килограмма выиграл Нурбол Абдикаримов.",
        "hours_ago": 100,
        "authors": ["d.akhmetov"],
        "sources": ["boxing"],
        "tags": ["бокс", "сборная Казахстана", "Узбекистан"],
        "caption": "Сборная Казахстана по боксу привезла из Ташкента три медали",
        "body": """
            Сборная Казахстана по боксу завершила выступление на международном турнире в
            Ташкенте с одной золотой и двумя бронзовыми медалями. Об этом сообщает Федерация
            бокса Казахстана.

            В финале весовой категории до 63,5 килограмма Нурбол Абдикаримов единогласным
            решением судей победил хозяина ринга.

            Бронзовые медали завоевали Даурен Ескендиров (до 71 кг) и Азамат Толеуов
            (свыше 92 кг).

            Турнир стал для команды одним из этапов подготовки к чемпионату Азии.
        """,
    },
    {
        "key": "aktau-baku-ferry",
        "section": "mir",
        "headline": "Между Актау и Баку запустят дополнительный паромный рейс",
        "lede": "Рейс поможет разгрузить порт Актау в сезон роста грузоперевозок.",
        "hours_ago": 98,
        "authors": ["a.nurlanova"],
        "sources": ["mintrans"],
        "tags": ["Каспий", "транспорт", "Азербайджан"],
        "caption": "Паромное сообщение через Каспий",
        "body": """
            Казахстан и Азербайджан договорились увеличить число паромных рейсов между портами
            Актау и Баку. Об этом сообщает Министерство транспорта РК.

            Дополнительный паром будет ходить раз в неделю и перевозить прежде всего грузовики
            и железнодорожные вагоны. По оценке ведомства, это сократит время ожидания отправки
            в порту Актау.

            «Стороны также договорились о едином расписании паромов и электронном обмене
            документами на грузы, которые следуют по Транскаспийскому маршруту», - говорится
            в сообщении министерства.

            Следующая встреча рабочей группы двух стран пройдёт в Баку.
        """,
    },
    {
        "key": "karaganda-business-centre",
        "section": "ekonomika",
        "headline": "В Караганде открылся центр поддержки начинающих предпринимателей",
        "lede": "Консультации по кредитам, налогам и маркетингу в центре будут бесплатными.",
        "hours_ago": 80,
        "authors": ["a.nurlanova"],
        "sources": ["akimat-karaganda"],
        "tags": ["малый бизнес", "Караганда"],
        "caption": "Центр поддержки предпринимателей в Караганде",
        "body": """
            В Караганде начал работу центр поддержки предпринимателей, сообщает акимат
            Карагандинской области.

            Специалисты центра помогут составить бизнес-план, подготовить документы для
            льготного кредитования и разобраться с налоговой отчётностью. Для тех, кто только
            начинает своё дело, откроется двухмесячная бесплатная школа бизнеса.

            В здании также оборудовали коворкинг на 40 рабочих мест, арендовать место можно
            посуточно.

            По данным акимата, за первую неделю в центр обратились более 300 человек. Больше
            всего вопросов касалось программ льготного кредитования.
        """,
    },
    {
        "key": "mazhilis-digital-services",
        "section": "politika",
        "headline": "Мажилис одобрил в первом чтении поправки о цифровых госуслугах",
        "lede": "Часть справок можно будет получить со смартфона, без визита в ЦОН.",
        "hours_ago": 74,
        "authors": ["a.nurlanova"],
        "sources": ["mazhilis"],
        "tags": ["Парламент", "цифровизация", "госуслуги"],
        "caption": "Мажилис рассмотрел поправки о государственных услугах",
        "body": """
            Депутаты Мажилиса на пленарном заседании одобрили в первом чтении законопроект о
            совершенствовании оказания государственных услуг. Об этом сообщает пресс-служба
            палаты.

            Поправки расширяют перечень услуг, которые можно получить полностью онлайн, в том
            числе ряд справок для предпринимателей и заявления на социальные выплаты.

            Отдельная глава документа посвящена защите персональных данных: ведомства должны
            будут уведомлять граждан о каждом запросе их сведений из государственных баз.

            Ко второму чтению рабочая группа доработает законопроект с учётом замечаний
            депутатов и отраслевых ассоциаций.
        """,
    },
    {
        "key": "steppe-eagle-coin",
        "section": "ekonomika",
        "headline": "Нацбанк выпустил памятную монету с изображением степного орла",
        "lede": "Серебряная монета продолжает серию о редких животных Казахстана.",
        "hours_ago": 55,
        "authors": ["o.kim"],
        "sources": ["natsbank"],
        "tags": ["Национальный банк", "монеты"],
        "caption": "Новая коллекционная монета Национального банка",
        "body": """
            Национальный банк Казахстана выпустил в обращение коллекционную монету
            «Степной орёл» из серебра 925-й пробы. Об этом сообщает пресс-служба регулятора.

            На аверсе изображён герб Республики Казахстан, на реверсе - парящий орёл на фоне
            степи и горного хребта. Тираж монеты - 3 тысячи штук.

            Монету можно приобрести в филиалах Национального банка и через его
            интернет-магазин нумизматической продукции.
        """,
    },
    {
        "key": "government-heating-season",
        "section": "politika",
        "headline": "Правительство обсудило готовность регионов к отопительному сезону",
        "lede": "Акимы областей доложили о ремонте теплосетей и запасах угля.",
        "hours_ago": 50,
        "authors": ["d.akhmetov"],
        "sources": ["pravitelstvo"],
        "tags": ["Правительство", "отопительный сезон", "ЖКХ"],
        "caption": "Заседание Правительства о подготовке к зиме",
        "body": """
            Подготовку к зиме рассмотрели на очередном заседании Правительства, сообщает
            пресс-служба кабмина.

            По данным Министерства энергетики, ремонт котлов и теплосетей завершён на
            большинстве объектов, на складах теплоэлектростанций сформированы запасы угля и
            мазута на нормативный срок.

            Особое внимание уделили городам, где отопительный сезон начинается раньше других:
            Петропавловску, Костанаю, Кокшетау и Павлодару. Акиматам поручено до начала сезона
            завершить оставшиеся работы и организовать круглосуточные штабы.

            «Школы, больницы и социальные учреждения должны иметь резервные источники
            электроснабжения уже к первым холодам», - отмечается в сообщении кабмина.
        """,
    },
    {
        "key": "youth-team-friendly",
        "section": "sport",
        "headline": "Молодёжная сборная Казахстана обыграла сверстников из Кыргызстана",
        "lede": "Товарищеский матч в Шымкенте завершился со счётом 2:1.",
        "hours_ago": 44,
        "authors": ["o.kim"],
        "sources": ["kff"],
        "tags": ["футбол", "сборная Казахстана", "Кыргызстан"],
        "caption": "Товарищеский матч молодёжных сборных в Шымкенте",
        "body": """
            Молодёжная сборная Казахстана по футболу провела товарищеский матч с командой
            Кыргызстана. Встреча прошла на Центральном стадионе Шымкента, сообщает
            Казахстанская федерация футбола.

            Гости открыли счёт на 17-й минуте после подачи углового. Казахстанцы отыгрались
            ещё до перерыва: полузащитник Алихан Серикбаев точно пробил из-за пределов
            штрафной.

            Победный мяч на 74-й минуте забил вышедший на замену нападающий Ерасыл Муканов.

            Матч стал частью подготовки команды к отборочному турниру молодёжного чемпионата
            Европы.
        """,
        "quotes": [
            {
                "speaker": "ruslan-erzhanov",
                "text": """
                    Мы хотели посмотреть на новых игроков в настоящей игре, и многие ребята
                    использовали свой шанс. Над реализацией моментов ещё нужно работать.
                """,
                "context": "на послематчевой пресс-конференции в Шымкенте",
                "position": 3,
            },
        ],
    },
    {
        "key": "water-conference-dushanbe",
        "section": "mir",
        "headline": "В Душанбе обсудили совместное использование воды в Центральной Азии",
        "lede": "Эксперты стран региона договорились обмениваться данными о стоке рек.",
        "hours_ago": 30,
        "authors": ["o.kim"],
        "sources": ["mid"],
        "tags": ["Центральная Азия", "водные ресурсы", "дипломатия"],
        "caption": "Региональная конференция по водным ресурсам",
        "body": """
            В столице Таджикистана завершилась региональная конференция по рациональному
            использованию водных ресурсов. Казахстанскую делегацию возглавил заместитель
            министра водных ресурсов и ирригации, сообщает МИД Казахстана.

            Участники обсудили подготовку к вегетационному периоду, модернизацию
            ирригационных каналов и внедрение водосберегающих технологий в сельском хозяйстве.

            По итогам встречи стороны договорились создать общую платформу для оперативного
            обмена данными о стоке трансграничных рек и уровне воды в водохранилищах.

            Следующую встречу экспертов планируется провести весной в Алматы.
        """,
    },
    {
        "key": "akorda-winter-report",
        "section": "politika",
        "headline": "В Акорде обсудили подготовку страны к зиме",
        "lede": "Главе государства доложили о ремонте электростанций и запасах топлива.",
        "hours_ago": 26,
        "authors": ["d.akhmetov"],
        "sources": ["akorda"],
        "tags": ["Акорда", "отопительный сезон", "ЖКХ"],
        "caption": "Подготовка к отопительному сезону",
        "related": ["government-heating-season"],
        "body": """
            Президент Казахстана принял министра энергетики, который доложил о ходе подготовки
            к осенне-зимнему периоду. Об этом сообщает пресс-служба Акорды.

            Министр проинформировал о ремонте энергоблоков электростанций, модернизации
            теплосетей и формировании запасов топлива.

            Глава государства отметил важность бесперебойного тепло- и электроснабжения и
            поручил держать на контроле завершение ремонтных работ в северных и восточных
            регионах.

            Напомним, ранее готовность регионов к отопительному сезону обсудили на заседании
            Правительства.
        """,
    },
    {
        "key": "almaty-bus-routes",
        "section": "kazakhstan",
        "headline": "В Алматы запустили три новых автобусных маршрута до окраин",
        "lede": "Новые маршруты свяжут отдалённые микрорайоны с метро и центром города.",
        "hours_ago": 20,
        "authors": ["a.nurlanova"],
        "sources": ["akimat-almaty"],
        "tags": ["Алматы", "транспорт", "инфраструктура"],
        "caption": "Новые автобусные маршруты в Алматы",
        "body": """
            С понедельника на линию вышли автобусы трёх новых маршрутов, которые соединяют
            микрорайоны на окраинах Алматы со станциями метро и пересадочными узлами. Об этом
            сообщает акимат Алматы.

            Маршруты обслуживают 45 автобусов на газомоторном топливе, интервал движения в часы
            пик - 8–10 минут. Оплата проезда такая же, как на остальных городских маршрутах.

            Схемы маршрутов составили по итогам опроса жителей: за лето горожане прислали
            в акимат более двух тысяч предложений.

            В ближайшие месяцы на остановках новых маршрутов установят навесы и табло со
            временем прибытия автобусов.
        """,
        "quotes": [
            {
                "speaker": "dana-kasymova",
                "text": """
                    Жители новых микрорайонов тратят на дорогу до работы по полтора часа.
                    Новые маршруты должны сократить это время почти вдвое.
                """,
                "context": "на встрече с жителями Наурызбайского района",
                "source": "akimat-almaty",
                "position": 2,
            },
        ],
    },
    {
        "key": "youth-team-squad",
        "section": "sport",
        "headline": "Тренер молодёжной сборной Казахстана назвал состав на отборочные матчи",
        "lede": "В список вошли 26 футболистов, пятеро из них вызваны впервые.",
        "hours_ago": 8,
        "authors": ["o.kim", "d.akhmetov"],
        "sources": ["kff"],
        "tags": ["футбол", "сборная Казахстана"],
        "caption": "Молодёжная сборная Казахстана готовится к отборочным матчам",
        "related": ["youth-team-friendly"],
        "body": """
            Главный тренер молодёжной сборной Казахстана Руслан Ержанов объявил состав на два
            матча отборочного турнира. Об этом сообщает Казахстанская федерация футбола.

            В список вошли 26 игроков, большинство из них выступают в клубах казахстанской
            Премьер-лиги. Пятеро футболистов получили вызов впервые.

            Сбор команды начнётся в понедельник в Туркестане, где сборная проведёт неделю
            тренировок.

            Напомним, в товарищеском матче в Шымкенте молодёжная сборная Казахстана обыграла
            сверстников из Кыргызстана со счётом 2:1.
        """,
        "quotes": [
            {
                "speaker": "ruslan-erzhanov",
                "text": """
                    Новичков мы вызываем не для галочки - все они заслужили шанс игрой в своих
                    клубах. Конкуренция за место в составе будет серьёзной.
                """,
                "context": "на пресс-конференции в Астане",
                "source": "kff",
                "position": 2,
            },
        ],
    },
    {
        "key": "kostanay-harvest",
        "section": "kazakhstan",
        "headline": "Аграрии Костанайской области завершили уборку зерновых",
        "lede": "Хлеборобы региона убрали зерновые со всей площади, урожайность выше прошлогодней.",
        "hours_ago": 6,
        "featured": True,
        "authors": ["d.akhmetov", "o.kim"],
        "sources": ["minselkhoz"],
        "tags": ["сельское хозяйство", "зерно", "Костанайская область"],
        "caption": "Уборочная кампания в Костанайской области завершена",
        "body": """
            Уборочная кампания в Костанайской области завершена, сообщает Министерство
            сельского хозяйства РК. Зерновые убраны на площади более 4 миллионов гектаров.

            По предварительным данным, средняя урожайность составила 14,5 центнера с гектара.
            Основная часть урожая - пшеница, около десятой части - ячмень и овёс.

            В ведомстве отмечают, что сухая погода в сентябре позволила вести уборку почти
            без перерывов, а хозяйства заранее подготовили технику.

            Сейчас элеваторы области принимают зерно. Параллельно аграрии проводят осеннюю
            вспашку и закупают семена к следующему сезону.
        """,
        "quotes": [
            {
                "speaker": "bauyrzhan-seitkaziev",
                "text": """
                    Нынешний урожай позволяет полностью обеспечить внутренний рынок и сохранить
                    экспортный потенциал. Наша задача сейчас - помочь хозяйствам с хранением и
                    вывозом зерна.
                """,
                "context": "на встрече с аграриями в Костанае",
                "source": "minselkhoz",
                "position": 1,
            },
        ],
    },
    {
        "key": "grain-exports",
        "section": "ekonomika",
        "headline": "Казахстан нарастил экспорт зерна в новом маркетинговом году",
        "lede": "Основными покупателями казахстанской пшеницы остаются страны Центральной Азии.",
        "hours_ago": 4,
        "authors": ["d.akhmetov"],
        "sources": ["stat", "minselkhoz"],
        "tags": ["зерно", "экспорт", "сельское хозяйство"],
        "caption": "Экспорт казахстанского зерна растёт",
        "related": ["kostanay-harvest"],
        "body": """
            С начала нового маркетингового года Казахстан экспортировал больше зерна, чем за
            тот же период прошлого года. Об этом сообщает Бюро национальной статистики.

            Основная часть поставок пришлась на пшеницу и муку. Крупнейшими покупателями
            остаются Узбекистан и Таджикистан, растут поставки в Китай и страны Ближнего
            Востока.

            В Министерстве сельского хозяйства рассчитывают, что рост продолжится: в портах
            Актау и Курык увеличили мощности по перевалке зерна, а железнодорожники выделили
            дополнительные вагоны-зерновозы.

            Напомним, на этой неделе аграрии Костанайской области завершили уборку зерновых
            со всей площади.
        """,
        "quotes": [
            {
                "speaker": "bauyrzhan-seitkaziev",
                "text": """
                    Мы видим хороший спрос на казахстанское зерно. Важно, чтобы экспорт не шёл
                    в ущерб внутреннему рынку, поэтому баланс мы проверяем каждый месяц.
                """,
                "context": "на заседании Правительства в Астане",
                "position": 2,
            },
        ],
    },
    {
        "key": "weather-frost-north",
        "section": "kazakhstan",
        "headline": "Синоптики пообещали тепло на юге и первые заморозки на севере",
        "lede": "В ближайшие три дня на юге днём до +22, на севере ночью до -3.",
        "hours_ago": 2.5,
        "authors": ["o.kim"],
        "sources": ["kazgidromet"],
        "tags": ["погода", "Казгидромет", "Астана", "Алматы"],
        "caption": "Прогноз погоды на ближайшие дни",
        "body": """
            Антициклон, который смещается из Западной Сибири, принесёт на север и в центр
            страны ясную, но холодную погоду. Об этом сообщает РГП «Казгидромет».

            По данным синоптиков, в Северо-Казахстанской, Акмолинской и Костанайской областях
            ночью ожидаются заморозки до 3 градусов, в Астане - около нуля. Днём воздух
            прогреется до 8–11 градусов тепла.

            На юге и юго-востоке сохранится тёплая погода без осадков: в Алматы и Шымкенте
            днём +18…+22. В предгорьях по утрам возможен туман.

            В Улытауской и Карагандинской областях местами ожидается усиление ветра до
            15–20 метров в секунду. Водителям советуют быть внимательнее ранним утром, когда
            на мостах возможна гололедица.
        """,
        "quotes": [
            {
                "speaker": "aigul-sarsenova",
                "text": """
                    Заморозки на севере пока будут только ночными, днём погода останется
                    по-осеннему мягкой. Устойчивого похолодания в ближайшую неделю мы не ждём.
                """,
                "context": "на брифинге в Астане",
                "source": "kazgidromet",
                "position": 2,
            },
        ],
    },
    {
        "key": "shymkent-library",
        "section": "kazakhstan",
        "status": Story.Status.DRAFT,
        "headline": "В Шымкенте после реконструкции откроется областная библиотека",
        "lede": "В обновлённом здании появятся коворкинг, детский зал и отдел редких книг.",
        "authors": ["a.nurlanova"],
        "sources": ["akimat-shymkent"],
        "tags": ["культура", "Шымкент"],
        "caption": "Библиотека в Шымкенте после реконструкции",
        "body": """
            Реконструкция здания областной библиотеки в Шымкенте подходит к концу, сообщает
            акимат Шымкента. Открыть её для читателей планируют до конца года.

            В библиотеке появятся коворкинг, детский зал с игровой зоной и отдел редких книг,
            где будут храниться рукописи и издания XIX века.

            Фонд пополнят более 20 тысяч новых книг на казахском, русском и английском языках.
        """,
    },
    {
        "key": "economic-forecast",
        "section": "ekonomika",
        "hours_ago": -46,
        "headline": "Правительство представит прогноз социально-экономического развития",
        "lede": "Документ на три года станет основой для республиканского бюджета.",
        "authors": ["d.akhmetov"],
        "sources": ["pravitelstvo"],
        "tags": ["Правительство", "бюджет"],
        "caption": "Прогноз социально-экономического развития на три года",
        "body": """
            Правительство рассмотрит прогноз социально-экономического развития страны на
            ближайшие три года, сообщает пресс-служба кабмина.

            В документе будут заложены ожидаемые темпы роста экономики, инфляции и доходов
            бюджета, а также основные параметры республиканского бюджета.

            После одобрения Правительством прогноз направят в Парламент вместе с проектом
            закона о республиканском бюджете.
        """,
    },
]

# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

# Two gradient colours and an accent per section.
PALETTES = {
    "kazakhstan": ((0, 104, 138), (86, 190, 210), (255, 200, 60)),
    "politika": ((22, 32, 72), (104, 40, 82), (238, 222, 190)),
    "mir": ((30, 56, 128), (40, 148, 128), (228, 240, 246)),
    "ekonomika": ((16, 72, 88), (104, 174, 120), (246, 210, 100)),
    "sport": ((214, 72, 48), (246, 170, 64), (255, 246, 232)),
}


def _gradient(size, start, end):
    """A diagonal gradient from ``start`` (top left) to ``end`` (bottom right)."""
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").rotate(90)
    mask = ImageChops.add(vertical, horizontal.resize(size), scale=2)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _with_alpha(colour, alpha):
    return (*colour, alpha)


def _draw_steppe(draw, rng, size, accent, light):
    width, height = size
    cx, cy, r = int(width * rng.uniform(0.58, 0.72)), int(height * 0.42), 105
    for i in range(32):  # rays of the sun
        angle = 2 * math.pi * i / 32
        inner, outer = r + 18, r + (70 if i % 2 else 45)
        x1, y1 = cx + inner * math.cos(angle), cy + inner * math.sin(angle)
        x2, y2 = cx + outer * math.cos(angle), cy + outer * math.sin(angle)
        draw.line([(x1, y1), (x2, y2)], fill=_with_alpha(accent, 150), width=6)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_with_alpha(accent, 235))
    for layer in range(3):  # rolling hills, nearer ones darker
        base = height * (0.62 + 0.12 * layer)
        phase, amplitude = rng.uniform(0, math.tau), 26 - 6 * layer
        points = [
            (x, base + amplitude * math.sin(x / (170 + 40 * layer) + phase))
            for x in range(0, width + 20, 20)
        ]
        shade = tuple(int(c * (0.55 - 0.12 * layer)) for c in light)
        draw.polygon([*points, (width, height), (0, height)], fill=_with_alpha(shade, 200))


def _draw_columns(draw, rng, size, accent, light):
    width, height = size
    left, right, count = int(width * 0.16), int(width * 0.84), 6
    step = (right - left) / (count - 1)
    top, bottom, half = int(height * 0.38), int(height * 0.86), 26
    for _ in range(3):  # beams of light, behind the building
        x = rng.randint(0, width)
        draw.polygon(
            [(x, 0), (x + 90, 0), (x - 260, height), (x - 420, height)],
            fill=_with_alpha(light, 18),
        )
    draw.polygon(
        [(left - 70, top - 20), (width // 2, int(height * 0.14)), (right + 70, top - 20)],
        fill=_with_alpha(accent, 90),
    )
    draw.rectangle([left - 70, top - 20, right + 70, top], fill=_with_alpha(accent, 120))
    for i in range(count):
        x = int(left + i * step)
        draw.rectangle([x - half, top + 10, x + half, bottom], fill=_with_alpha(accent, 70))
        draw.rectangle([x - half - 10, top, x + half + 10, top + 14], fill=_with_alpha(accent, 110))
    draw.rectangle([left - 90, bottom, right + 90, bottom + 22], fill=_with_alpha(accent, 120))


def _draw_globe(draw, rng, size, accent, light):
    width, height = size
    cx, cy, r = int(width * rng.uniform(0.38, 0.62)), height // 2, 230
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_with_alpha(accent, 40))
    for k in range(1, 6):  # meridians
        half = int(r * k / 6)
        draw.ellipse(
            [cx - half, cy - r, cx + half, cy + r], outline=_with_alpha(accent, 120), width=3
        )
    for k in range(-4, 5):  # parallels
        y = cy + r * k / 5
        half = math.sqrt(max(r * r - (y - cy) ** 2, 0))
        draw.line([(cx - half, y), (cx + half, y)], fill=_with_alpha(accent, 110), width=3)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=_with_alpha(accent, 220), width=5)
    for scale in (1.45, 1.8):  # orbits
        rx, ry = r * scale, r * scale * 0.32
        draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=_with_alpha(light, 90), width=3)
    for _ in range(4):  # satellites
        angle = rng.uniform(0, math.tau)
        x, y = cx + r * 1.45 * math.cos(angle), cy + r * 1.45 * 0.32 * math.sin(angle)
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=_with_alpha(light, 220))


def _draw_chart(draw, rng, size, accent, light):
    width, height = size
    for y in range(int(height * 0.2), height, 70):  # grid
        draw.line([(0, y), (width, y)], fill=_with_alpha(light, 35), width=2)
    count, left, bottom = 9, int(width * 0.1), int(height * 0.88)
    step = (width * 0.8) / count
    level, tops = height * 0.25, []
    for i in range(count):
        level += rng.uniform(-0.02, 0.06) * height
        bar_height = min(level, height * 0.7)
        x = left + i * step
        top = bottom - bar_height
        draw.rectangle([x + 10, top, x + step - 10, bottom], fill=_with_alpha(light, 70))
        tops.append((x + step / 2, top - 30))
    draw.line(tops, fill=_with_alpha(accent, 230), width=8, joint="curve")
    for x, y in tops:
        draw.ellipse([x - 11, y - 11, x + 11, y + 11], fill=_with_alpha(accent, 255))


def _draw_track(draw, rng, size, accent, light):
    width, height = size
    cx, cy = width // 2, int(height * rng.uniform(0.55, 0.7))
    for lane in range(8):  # lanes of a running track
        rx, ry = 380 + lane * 38, 150 + lane * 38
        draw.rounded_rectangle(
            [cx - rx, cy - ry, cx + rx, cy + ry],
            radius=ry,
            outline=_with_alpha(light, 150),
            width=4,
        )
    for i in range(6):  # speed stripes
        y = int(height * 0.1) + i * 26
        x = rng.randint(40, 400)
        draw.line([(x, y), (x + rng.randint(160, 420), y)], fill=_with_alpha(accent, 120), width=8)


MOTIFS = {
    "kazakhstan": _draw_steppe,
    "politika": _draw_columns,
    "mir": _draw_globe,
    "ekonomika": _draw_chart,
    "sport": _draw_track,
}


def story_image(section_slug, key, size=IMAGE_SIZE):
    """JPEG bytes of an illustration in the section's colours; ``key`` varies the composition."""
    start, end, accent = PALETTES.get(section_slug, PALETTES["kazakhstan"])
    rng = random.Random(f"{section_slug}:{key}")
    image = _gradient(size, start, end).convert("RGBA")

    glow = Image.new("RGBA", size, (0, 0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    for _ in range(5):  # soft circles of light in the background
        r = rng.randint(60, 200)
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        glow_draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, rng.randint(20, 50)))
    image = Image.alpha_composite(image, glow.filter(ImageFilter.GaussianBlur(30)))

    motif = Image.new("RGBA", size, (0, 0, 0, 0))
    light = tuple(min(255, c + 60) for c in end)
    MOTIFS.get(section_slug, _draw_steppe)(ImageDraw.Draw(motif), rng, size, accent, light)
    image = Image.alpha_composite(image, motif)

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def _initials_font(size):
    """A font with Cyrillic letters, or None when the system has none of the usual ones."""
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def portrait_image(name, size=PORTRAIT_SIZE):
    """JPEG bytes of a placeholder portrait: initials on a circle (a silhouette without fonts)."""
    palette = list(PALETTES.values())[sum(map(ord, name)) % len(PALETTES)]
    image = _gradient((size, size), palette[0], palette[1])
    draw = ImageDraw.Draw(image)
    margin = size // 10
    draw.ellipse([margin, margin, size - margin, size - margin], fill=(250, 248, 242))
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = _initials_font(size // 3)
    if font is not None:
        draw.text((size / 2, size / 2), initials, font=font, fill=palette[0], anchor="mm")
    else:
        head = size // 7
        draw.ellipse(
            [size / 2 - head, size * 0.3, size / 2 + head, size * 0.3 + 2 * head], fill=palette[0]
        )
        draw.chord([size * 0.28, size * 0.58, size * 0.72, size * 0.98], 180, 360, fill=palette[0])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoCounts:
    """What ``load_demo()`` found and what it added."""

    stories: int = 0
    new_stories: int = 0
    new_sections: int = 0
    new_reporters: int = 0
    new_newsmakers: int = 0
    new_sources: int = 0
    new_quotes: int = 0
    new_images: int = 0

    @property
    def changed(self):
        return any(
            (
                self.new_stories,
                self.new_sections,
                self.new_reporters,
                self.new_newsmakers,
                self.new_sources,
                self.new_quotes,
                self.new_images,
            )
        )

    def summary(self):
        if not self.changed:
            return f"Demo content already loaded: nothing changed ({self.stories} stories)."
        parts = [f"Demo content: {self.stories} stories ({self.new_stories} new)"]
        for count, label in (
            (self.new_sections, "sections"),
            (self.new_reporters, "reporters"),
            (self.new_newsmakers, "newsmakers"),
            (self.new_sources, "sources"),
            (self.new_quotes, "quotes"),
            (self.new_images, "images"),
        ):
            if count:
                parts.append(f"{count} new {label}")
        return ", ".join(parts) + "."


def paragraphs(text):
    """Paragraphs of text separated by blank lines, each with its line breaks folded."""
    return [" ".join(block.split()) for block in text.strip().split("\n\n") if block.strip()]


def body_html(text):
    return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs(text))


def _file_missing(field_file):
    return bool(field_file) and not field_file.storage.exists(field_file.name)


def _find_or_create(model, data, counts_attr, counts):
    """The row with ``data['slug']``, else the one with ``data['name']``, else a new one."""
    obj = model.objects.filter(slug=data["slug"]).first()
    if obj is None:
        obj = model.objects.filter(name=data["name"]).first()
    if obj is None:
        obj = model.objects.create(**data)
        setattr(counts, counts_attr, getattr(counts, counts_attr) + 1)
    return obj


def _reporters(counts):
    User = get_user_model()
    users = {}
    for data in REPORTERS:
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            user = User(**data)
            user.set_unusable_password()
            user.save()
            counts.new_reporters += 1
        users[data["username"]] = user
    return users


def _save_portrait(newsmaker):
    name = f"{newsmaker.slug}.jpg"
    newsmaker.photo.save(name, ContentFile(portrait_image(newsmaker.name), name=name), save=False)


def _newsmakers(counts):
    newsmakers = {}
    for data in NEWSMAKERS:
        newsmaker = Newsmaker.objects.filter(slug=data["slug"]).first()
        if newsmaker is None:
            newsmaker = Newsmaker(**data)
            _save_portrait(newsmaker)
            newsmaker.save()
            counts.new_newsmakers += 1
            counts.new_images += 1
        elif _file_missing(newsmaker.photo):
            _save_portrait(newsmaker)
            newsmaker.save(update_fields=["photo"])
            counts.new_images += 1
        newsmakers[data["slug"]] = newsmaker
    return newsmakers


def _save_story_image(story, section_slug, key):
    name = f"{ascii_slugify(story.headline, max_length=60) or key}.jpg"
    # A named ContentFile: ImageField reads the width and height only from a file with a name.
    story.image.save(name, ContentFile(story_image(section_slug, key), name=name), save=False)


def _create_story(data, now, sections, users, newsmakers, sources, counts):
    status = data.get("status", Story.Status.PUBLISHED)
    published_at = None
    if status == Story.Status.PUBLISHED:
        published_at = (now - timedelta(hours=data["hours_ago"])).replace(second=0, microsecond=0)
    story = Story(
        import_ref=IMPORT_PREFIX + data["key"],
        headline=data["headline"],
        lede=data["lede"],
        body=body_html(data["body"]),
        section=sections[data["section"]],
        status=status,
        published_at=published_at,
        featured=data.get("featured", False),
        image_alt=IMAGE_ALT[data["section"]],
        image_caption=data.get("caption", ""),
        image_credit=IMAGE_CREDIT,
    )
    _save_story_image(story, data["section"], data["key"])
    counts.new_images += 1
    story.save()
    counts.new_stories += 1
    story.authors.set([users[username] for username in data["authors"]])
    story.sources.set([sources[slug] for slug in data["sources"]])
    story.tags.add(*data["tags"])
    said_on = timezone.localtime(published_at or now).date()
    for quote in data.get("quotes", ()):
        Quote.objects.create(
            story=story,
            text=" ".join(quote["text"].split()),
            speaker=newsmakers[quote["speaker"]],
            context=quote.get("context", ""),
            source=sources.get(quote.get("source")),
            said_on=said_on,
            position=quote.get("position", 0),
        )
        counts.new_quotes += 1
    return story


@transaction.atomic
def load_demo(now=None):
    """Add the demo content that is not there yet; return a :class:`DemoCounts`."""
    now = now or timezone.now()
    counts = DemoCounts(stories=len(STORIES))
    sections = {
        data["slug"]: _find_or_create(Section, data, "new_sections", counts) for data in SECTIONS
    }
    sources = {
        data["slug"]: _find_or_create(Source, data, "new_sources", counts) for data in SOURCES
    }
    users = _reporters(counts)

    newsmakers = _newsmakers(counts)

    existing = {
        story.import_ref: story
        for story in Story.objects.filter(import_ref__startswith=IMPORT_PREFIX).select_related(
            "section"
        )
    }
    stories, created = {}, []
    for data in STORIES:
        story = existing.get(IMPORT_PREFIX + data["key"])
        if story is None:
            story = _create_story(data, now, sections, users, newsmakers, sources, counts)
            created.append((story, data))
        elif _file_missing(story.image):
            _save_story_image(story, story.section.slug, data["key"])
            story.save(update_fields=["image", "image_width", "image_height"])
            counts.new_images += 1
        stories[data["key"]] = story
    for story, data in created:
        if data.get("related"):
            story.related.add(*(stories[key] for key in data["related"]))
    return counts


# ---------------------------------------------------------------------------------------------
# The demo editor
# ---------------------------------------------------------------------------------------------


def editor_permissions():
    """The permissions of the Editors group: the newsroom's models, and seeing user accounts."""
    return Permission.objects.filter(
        Q(content_type__app_label="articles", content_type__model__in=EDITOR_MODELS)
        | Q(content_type__app_label="auth", content_type__model="user", codename="view_user")
    )


def editors_group():
    """The Editors group; made with its permissions if it is missing (e.g. after a flush)."""
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        group.permissions.set(editor_permissions())
    return group


class NotAnEditorAccount(ValueError):
    """The username belongs to a superuser, whose password the demo must not replace."""


@transaction.atomic
def make_demo_editor(username="editor"):
    """Create or update a staff editor with a new random password; return ``(user, password)``."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_superuser:
        raise NotAnEditorAccount(username)
    if user is None:
        user = User(username=username, first_name="Демо", last_name="Редактор")
    user.is_staff = True
    user.is_active = True
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save()
    user.groups.add(editors_group())
    return user, password
