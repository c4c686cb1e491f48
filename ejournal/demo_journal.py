"""The demo school's journals by today: topics, homework, works and marks, attendance, and the gaps a deputy's
control reports should find, for every course's lessons before today (issue 5).

Written in bulk, not through the per-row services, so that `make run` stays quick; the rows keep the same invariants
the services enforce (gradebook/marks.py, attendance/services.py, schedule/services/homework.py): only in-journal
lessons, only pupils on the lesson's list on its date, the course's teacher (or the lesson's substitute) as the author,
nothing for today or later, and every row with history carrying its author and the moment it was entered.
Deterministic: the same seed gives the same journals (the random streams are keyed by names, not by ids).
"""

import datetime
import functools
import itertools
import math
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import SchoolSettings, User
from attendance.models import MAX_LATE_MINUTES, Absence, AttendanceTaken, Code
from gradebook.models import LessonWork, Mark, WorkType
from schedule.models import (
    AcademicYear,
    Bell,
    Course,
    CourseTeacher,
    Enrollment,
    GroupMembership,
    Homework,
    Lesson,
    PlanItem,
)

BATCH = 2000
# The demo's stable logins (ejournal/demo.py): the demo teacher's journal is kept tidy (no gaps, nothing late), and
# the course left without marks is not one of the stable staff's.
DEMO_TEACHER = "teacher"
STABLE_STAFF = {"teacher", "class_teacher", "deputy"}
DEMO_PUPIL = "pupil"
GAP_DAYS = 5  # the last school days before today where some lessons are left unfilled
GAP_COURSE_DAYS = 21  # one 5А course has no marks for this long

ENGLISH = "Иностранный язык (английский)"
TALKS = "Разговоры о важном"
# Subjects with an entrance test in September and regular control works (a Russian school's usual practice).
CORE = {"Русский язык", "Математика", "Алгебра", ENGLISH}
NO_CONTROL = {"Физическая культура", "Музыка", "Изобразительное искусство", "Труд (технология)", TALKS}
ESSAY_SUBJECTS = {"Русский язык", "Литература"}
REVISION = "Повторение изученного"
SUMMARY = "Повторение и обобщение по разделу"
ANALYSIS = "Анализ контрольной работы. Работа над ошибками"
ENTRANCE = "Входная контрольная работа"

# Realistic topics per subject (a band of grades where the subject differs a lot), cycled. Data, not UI.
TOPICS: dict[str, dict[str, list[str]]] = {
    "Русский язык": {
        "1-4": ["Звуки и буквы", "Слог. Ударение", "Перенос слов", "Правописание жи–ши, ча–ща, чу–щу",
                "Парные согласные на конце слова", "Безударные гласные в корне слова", "Разделительный мягкий знак",
                "Состав слова: корень, приставка, суффикс, окончание", "Имя существительное", "Глагол",
                "Имя прилагательное", "Предложение. Виды предложений по цели высказывания",
                "Текст. Тема и основная мысль текста", "Словарный диктант"],
        "5-11": ["Звуки и буквы. Фонетический разбор", "Орфограммы в корне слова",
                 "Правописание безударных гласных в корне", "Морфемика. Состав слова", "Словосочетание",
                 "Главные и второстепенные члены предложения", "Однородные члены предложения",
                 "Обращение. Знаки препинания при обращении", "Прямая речь. Диалог",
                 "Имя существительное как часть речи",
                 "Правописание -тся и -ться в глаголах", "Имя прилагательное. Полные и краткие формы",
                 "Лексика. Синонимы и антонимы", "Развитие речи. Изложение", "Словарный диктант"],
    },
    "Литературное чтение": {
        "1-4": ["Устное народное творчество. Русские народные сказки", "Загадки, пословицы, поговорки",
                "А. С. Пушкин. «Сказка о рыбаке и рыбке»", "Л. Н. Толстой. Басни и рассказы", "И. А. Крылов. Басни",
                "Стихи о природе. Ф. И. Тютчев, А. А. Фет", "Н. Н. Носов. Рассказы",
                "В. Ю. Драгунский. «Денискины рассказы»", "К. Г. Паустовский. «Тёплый хлеб»",
                "С. Я. Маршак. Стихи для детей", "Внеклассное чтение"],
    },
    "Литература": {
        "5-8": ["Мифы Древней Греции", "Русская народная сказка «Царевна-лягушка»", "И. А. Крылов. Басни",
                "А. С. Пушкин. «Сказка о мёртвой царевне и о семи богатырях»", "М. Ю. Лермонтов. «Бородино»",
                "Н. В. Гоголь. «Ночь перед Рождеством»", "И. С. Тургенев. «Муму»",
                "Н. А. Некрасов. «Крестьянские дети»", "Л. Н. Толстой. «Кавказский пленник»",
                "А. П. Чехов. «Хирургия»", "Развитие речи. Подготовка к сочинению", "Внеклассное чтение"],
        "9-11": ["«Слово о полку Игореве»", "Н. М. Карамзин. «Бедная Лиза»", "А. С. Грибоедов. «Горе от ума»",
                 "А. С. Пушкин. «Евгений Онегин»", "М. Ю. Лермонтов. «Герой нашего времени»",
                 "Н. В. Гоголь. «Мёртвые души»", "А. Н. Островский. «Гроза»", "И. С. Тургенев. «Отцы и дети»",
                 "Ф. М. Достоевский. «Преступление и наказание»", "Л. Н. Толстой. «Война и мир»",
                 "Развитие речи. Сочинение по изученному произведению"],
    },
    ENGLISH: {
        "1-4": ["Приветствие. Знакомство", "Английский алфавит", "Моя семья", "Цвета и числа", "Мои игрушки",
                "Животные", "Еда и напитки", "Мой день", "Погода и времена года", "Глагол to be",
                "Present Simple"],
        "5-11": ["Present Simple и Present Continuous", "Past Simple: правильные и неправильные глаголы",
                 "Моя школа", "Свободное время и хобби", "Путешествия",
                 "Великобритания и Россия: традиции и праздники", "Степени сравнения прилагательных",
                 "Future Simple и be going to", "Present Perfect", "Чтение: адаптированный текст", "Аудирование",
                 "Словарный диктант"],
    },
    "Математика": {
        "1-4": ["Сложение и вычитание в пределах 100", "Таблица умножения", "Деление с остатком",
                "Периметр прямоугольника", "Площадь фигуры", "Решение задач в два действия",
                "Единицы длины и массы", "Порядок действий в выражениях", "Письменное сложение и вычитание",
                "Уравнения", "Доли"],
        "5-11": ["Натуральные числа и шкалы", "Сложение и вычитание натуральных чисел",
                 "Умножение и деление натуральных чисел", "Степень числа", "Площади и объёмы",
                 "Обыкновенные дроби", "Сравнение дробей", "Смешанные числа", "Десятичные дроби",
                 "Округление чисел", "Решение текстовых задач", "Углы. Измерение углов", "Проценты"],
    },
    "Алгебра": {
        "": ["Выражения и их преобразования", "Линейное уравнение с одной переменной", "Функция и её график",
             "Линейная функция", "Степень с натуральным показателем", "Одночлены и многочлены",
             "Формулы сокращённого умножения", "Системы линейных уравнений", "Квадратные корни",
             "Квадратные уравнения. Теорема Виета", "Неравенства", "Решение задач с помощью уравнений"],
    },
    "Геометрия": {
        "": ["Начальные геометрические сведения", "Треугольники. Признаки равенства треугольников",
             "Равнобедренный треугольник", "Параллельные прямые", "Сумма углов треугольника",
             "Четырёхугольники. Параллелограмм", "Площадь многоугольника", "Теорема Пифагора",
             "Подобные треугольники", "Окружность. Касательная", "Решение задач"],
    },
    "Вероятность и статистика": {
        "": ["Представление данных. Таблицы и диаграммы", "Среднее арифметическое и медиана",
             "Наибольшее и наименьшее значения. Размах", "Случайная изменчивость", "Графы",
             "Случайные события. Вероятность", "Комбинаторика: правило умножения", "Практическая работа"],
    },
    "Информатика": {
        "": ["Техника безопасности. Компьютер — универсальное устройство", "Файлы и файловая система",
             "Системы счисления", "Единицы измерения информации", "Алгоритмы и исполнители", "Ветвления", "Циклы",
             "Python: переменные, ввод и вывод", "Электронные таблицы", "Компьютерные сети. Интернет",
             "Практическая работа"],
    },
    "Окружающий мир": {
        "": ["Природа и человек", "Родная страна. Москва — столица России", "Времена года", "Растения нашего края",
             "Животные и их разнообразие", "Вода и её свойства", "Воздух и его охрана",
             "Тело человека. Здоровый образ жизни", "Безопасность на дорогах", "Наша планета Земля",
             "Экскурсия в природу"],
    },
    "История": {
        "": ["Первобытное общество", "Древний Египет", "Древняя Месопотамия", "Древняя Индия и Китай",
             "Древняя Греция: полисы", "Древний Рим: республика", "Образование Древнерусского государства",
             "Крещение Руси", "Раздробленность Руси", "Образование единого Русского государства", "Эпоха Петра I",
             "Работа с историческими источниками"],
    },
    "Обществознание": {
        "": ["Человек и общество", "Семья и семейные отношения", "Образование и самообразование",
             "Труд и экономика", "Государство и право", "Конституция Российской Федерации",
             "Права и обязанности гражданина", "Социальные нормы", "Экономика семьи", "Политическая система"],
    },
    "География": {
        "": ["Что изучает география", "План местности и карта", "Градусная сеть. Географические координаты",
             "Литосфера. Строение Земли", "Гидросфера", "Атмосфера и климат", "Биосфера", "Природные зоны",
             "Население мира", "Практическая работа с контурной картой"],
    },
    "Биология": {
        "": ["Биология — наука о живом", "Клетка — основа строения живых организмов", "Ткани и органы",
             "Бактерии и грибы", "Растения: строение и жизнедеятельность", "Фотосинтез",
             "Животные: многообразие и классификация", "Экосистемы",
             "Лабораторная работа «Устройство микроскопа»", "Человек и его здоровье"],
    },
    "Физика": {
        "": ["Физические величины и их измерение", "Строение вещества", "Механическое движение. Скорость",
             "Масса тела. Плотность вещества", "Сила. Сила тяжести", "Давление твёрдых тел, жидкостей и газов",
             "Архимедова сила", "Работа и мощность", "Тепловые явления", "Электрический ток",
             "Лабораторная работа", "Решение задач"],
    },
    "Химия": {
        "": ["Предмет химии. Вещества", "Правила безопасности в кабинете химии",
             "Атомы и молекулы. Химические элементы", "Периодическая система Д. И. Менделеева",
             "Валентность. Химические формулы", "Химические реакции. Уравнения", "Кислород. Оксиды", "Водород",
             "Растворы", "Основные классы неорганических соединений", "Практическая работа"],
    },
    "Музыка": {
        "": ["Музыка и литература", "Русская народная песня", "Музыка П. И. Чайковского", "Опера и балет",
             "Симфоническая музыка", "Инструменты симфонического оркестра", "Музыка М. И. Глинки", "Хоровое пение",
             "Музыка народов России"],
    },
    "Изобразительное искусство": {
        "": ["Рисунок с натуры", "Цветоведение: тёплые и холодные цвета", "Пейзаж", "Натюрморт",
             "Декоративно-прикладное искусство: хохлома и гжель", "Портрет", "Графика", "Композиция",
             "Народные промыслы"],
    },
    "Труд (технология)": {
        "": ["Техника безопасности в мастерской", "Материалы и их свойства", "Технология обработки древесины",
             "Обработка текстильных материалов", "Черчение и технический рисунок",
             "Робототехника: основы конструирования", "Кулинария: здоровое питание", "Проектная работа",
             "Моделирование"],
    },
    "Физическая культура": {
        "": ["Инструктаж по технике безопасности", "Лёгкая атлетика: бег на короткие дистанции",
             "Прыжки в длину с места", "Метание мяча", "Кроссовая подготовка", "Баскетбол: ведение мяча",
             "Волейбол: передача мяча", "Гимнастика: акробатические упражнения", "Подвижные игры",
             "Подготовка к сдаче норм ГТО", "Футбол"],
    },
    "Основы безопасности и защиты Родины": {
        "": ["Культура безопасности жизнедеятельности", "Безопасность в быту", "Пожарная безопасность",
             "Безопасность на дорогах", "Первая помощь", "Безопасность в общественных местах",
             "Чрезвычайные ситуации природного характера", "Основы обороны государства",
             "Противодействие терроризму"],
    },
    "Основы религиозных культур и светской этики": {
        "": ["Россия — наша Родина", "Культура и религия", "Добро и зло", "Нравственные ценности",
             "Семья и семейные традиции", "Праздники народов России", "Дружба и взаимопомощь",
             "Труд и ответственность", "Любовь и уважение к Отечеству"],
    },
    TALKS: {
        "": ["День знаний", "Что такое Родина?", "День учителя", "День отца", "День музыки",
             "Традиционные семейные ценности", "День народного единства", "Мы разные, мы вместе", "Ко Дню матери",
             "Символы России", "Волонтёры России", "День Героев Отечества", "День Конституции"],
    },
}  # fmt: skip
GENERIC_TOPICS = [REVISION, "Работа с учебником", SUMMARY, "Практическая работа"]

# Homework per subject: (texts, how pages and exercises are written). Data, not UI.
HOMEWORK_KIND = {
    "Русский язык": "russian", "Литературное чтение": "reading", "Литература": "literature", ENGLISH: "english",
    "Математика": "maths", "Алгебра": "maths", "Вероятность и статистика": "maths", "Геометрия": "geometry",
    "Информатика": "informatics", "Окружающий мир": "world", "История": "textbook", "Обществознание": "textbook",
    "Биология": "textbook", "Основы безопасности и защиты Родины": "textbook", "География": "geography",
    "Физика": "physics", "Химия": "chemistry", "Музыка": "music", "Изобразительное искусство": "art",
    "Труд (технология)": "crafts", "Физическая культура": "sport",
}  # fmt: skip
HOMEWORK_TEXTS = {
    "russian": ["Выучить правило, выполнить упражнение.", "Повторить правило, выполнить упражнение.",
                "Выполнить упражнение, подчеркнуть орфограммы.", "Подготовиться к словарному диктанту."],
    "reading": ["Выразительное чтение.", "Пересказ текста.", "Выучить стихотворение наизусть.",
                "Ответить на вопросы после текста."],
    "literature": ["Прочитать текст, ответить на вопросы.", "Выучить стихотворение наизусть.",
                   "Подготовить пересказ эпизода.", "Письменно ответить на вопрос в конце главы."],
    "english": ["Выучить новые слова.", "Прочитать и перевести текст.", "Выполнить упражнения в рабочей тетради.",
                "Подготовить рассказ по теме урока."],
    "maths": ["Решить задачи.", "Решить примеры и задачу.", "Повторить правило, решить номера."],
    "geometry": ["Выучить теорему с доказательством, решить задачи.", "Решить задачи.",
                 "Выучить определения, решить задачи."],
    "informatics": ["Повторить конспект.", "Выучить определения.", "Выполнить задание в рабочей тетради."],
    "world": ["Прочитать текст учебника, ответить на вопросы.", "Выполнить задания в рабочей тетради.",
              "Подготовить рассказ по теме урока."],
    "textbook": ["Прочитать параграф, ответить на вопросы в конце параграфа.",
                 "Прочитать параграф, составить план ответа.", "Подготовить сообщение по теме урока.",
                 "Заполнить таблицу в тетради."],
    "geography": ["Прочитать параграф, ответить на вопросы.", "Отметить объекты на контурной карте.",
                  "Прочитать параграф, подготовить сообщение."],
    "physics": ["Прочитать параграф, решить задачи.", "Выучить формулы, решить задачи.",
                "Оформить лабораторную работу."],
    "chemistry": ["Прочитать параграф, выполнить задания после параграфа.", "Составить уравнения реакций.",
                  "Выучить названия и символы химических элементов."],
    "music": ["Послушать произведение, изученное на уроке.", "Выучить слова песни."],
    "art": ["Принести к уроку альбом, краски и кисти.", "Закончить рисунок."],
    "crafts": ["Подготовить материалы для практической работы.", "Закончить изделие."],
    "sport": ["Комплекс утренней гимнастики.", "Повторить правила игры."],
}  # fmt: skip
# How often a lesson of the subject gets homework (the others: HOMEWORK_SHARE).
HOMEWORK_SHARE = 0.85
HOMEWORK_SHARE_OF = {"sport": 0.1, "music": 0.2, "art": 0.2, "crafts": 0.2}

COMMENTS = {
    "low": ["не выполнено домашнее задание", "не готов к уроку", "не выучено правило", "много ошибок"],
    "4": ["ответ у доски", "есть неточности в ответе", "работа над ошибками"],
    "5": ["ответ у доски", "отличный ответ", "активная работа на уроке"],
}
VALUES = ("1", "2", "3", "4", "5")
# A "2" is rare and a "1" practically never given (relative to the bell curve around the pupil's ability).
DAMPING = {"1": 0.0005, "2": 0.45, "3": 1.0, "4": 1.0, "5": 1.0}


@dataclass
class JournalFill:
    """What was written, for the caller's message and the tests."""

    lessons: int = 0  # lessons before today that got a record (topic, attendance or marks)
    topics: int = 0
    homework: int = 0
    works: int = 0
    marks: int = 0
    absences: int = 0
    attendance_taken: int = 0
    gaps: int = 0  # lessons of the last school days left without topic, attendance and marks
    gap_course_id: int | None = None  # the 5А course with no marks for the last three weeks


@dataclass
class _Step:
    topic: str
    plan_item: PlanItem | None = None
    control: bool = False


@dataclass
class _Kinds:
    """The school's work types, sorted by how the demo uses them."""

    oral: list[WorkType]  # answers in class and the like: marks for a part of the class
    written: list[WorkType]  # written works: marks for most of the class
    essays: list[WorkType]
    control: WorkType | None


def _kinds(work_types: list[WorkType]) -> _Kinds | None:
    ordinary = [t for t in work_types if not t.is_control]
    if not ordinary:
        return None
    oral = [t for t in ordinary if t.weight <= 1 and not t.entry_deadline_days] or ordinary[:1]
    essays = [t for t in ordinary if t not in oral and "сочин" in t.name.lower()]
    written = [t for t in ordinary if t not in oral and t not in essays]
    control = next((t for t in work_types if t.is_control), None)
    return _Kinds(oral=oral, written=written, essays=essays, control=control)


def _band(subject: str, grade: int | None) -> list[str]:
    bands = TOPICS.get(subject)
    if not bands:
        return GENERIC_TOPICS
    grade = grade or 5
    for band, topics in bands.items():
        if not band:
            return topics
        low, high = (int(x) for x in band.split("-"))
        if low <= grade <= high:
            return topics
    return next(iter(bands.values()))


def _grade(course: Course) -> int | None:
    if course.school_class_id is not None:
        return course.school_class.grade
    return course.group.school_class.grade if course.group_id and course.group.school_class_id else None


def _script(course: Course, count: int, items: list[PlanItem], rng: random.Random) -> list[_Step]:
    """The topics of the course's first `count` lessons: the thematic plan's in order (each item `hours` lessons,
    a control at an item's last hour when the plan names one), else the subject's topics cycled, with the revision,
    entrance test, control works and their analysis a Russian school has."""
    if items:
        slots = [(item, hour == item.hours - 1) for item in items for hour in range(item.hours)]
        steps = [_Step(item.topic, item, bool(item.control) and last) for item, last in slots[:count]]
        return steps + [_Step(SUMMARY) for _ in range(count - len(steps))]
    subject, grade = course.subject.name, _grade(course) or 5
    topics = _band(subject, grade)
    lesson_course = course.kind == Course.Kind.LESSON and course.attested
    controls = lesson_course and grade >= 2 and subject not in NO_CONTROL
    entrance = controls and subject in CORE
    span = 2 if course.hours_per_week >= 4 else 1
    steps: list[_Step] = [_Step(REVISION)] if lesson_course and grade >= 2 else []
    since_control, next_control, t = 0, rng.randint(11, 16), 0
    while len(steps) < count:
        if entrance and len(steps) == 3:
            steps += [_Step(ENTRANCE, control=True), _Step(ANALYSIS)]
            continue
        if controls and since_control >= next_control:
            previous = steps[-1].topic if steps else topics[0]
            steps += [_Step(f"Контрольная работа по теме «{previous}»", control=True), _Step(ANALYSIS)]
            since_control, next_control = 0, rng.randint(11, 16)
            continue
        topic = topics[t % len(topics)]
        steps += [_Step(topic) for _ in range(span)]
        since_control += span
        t += 1
        if t % len(topics) == 0 and lesson_course:
            steps.append(_Step(SUMMARY))
    return steps[:count]


def _page(i: int, hours: float) -> int:
    return min(4 + int(i * 6 / max(hours, 1)), 290)


def _homework(kind: str, grade: int, i: int, hours: float, rng: random.Random) -> tuple[str, str, str]:
    """A homework's task, pages and exercises, advancing through the textbook as the year goes on."""
    text = rng.choice(HOMEWORK_TEXTS[kind])
    p, k = _page(i, hours), 1 + int(i * 0.8 / max(hours / 2, 0.5))
    n = 10 + i * 6 + rng.randint(0, 4)
    if kind == "russian":
        if "диктант" in text:
            return text, "", ""
        return text, f"с. {p}", f"упр. {3 + i * 3 + rng.randint(0, 2)}"
    if kind in ("reading", "world", "literature"):
        return text, f"с. {p}–{p + rng.randint(2, 6)}", ""
    if kind == "english":
        return text, f"с. {p}", f"упр. {rng.randint(1, 8)}, {rng.randint(9, 12)}"
    if kind in ("maths", "geometry"):
        if grade <= 4:
            return text, f"с. {p}", f"№ {rng.randint(1, 6)}, {rng.randint(7, 12)}"
        return text, "", f"№ {n}, {n + 2}, {n + 5}" if kind == "maths" else f"№ {n // 2}, {n // 2 + 1}"
    if kind in ("textbook", "geography", "chemistry", "informatics"):
        return text, f"§ {k}", f"вопросы 1–{rng.randint(3, 6)}" if "вопрос" in text else ""
    if kind == "physics":
        return text, f"§ {k}", f"упр. {k}"
    return text, "", ""


def _rng(*parts) -> random.Random:
    return random.Random(":".join(map(str, parts)))  # noqa: S311 - demo data, not secrets


@functools.cache
def _weights(ability: float) -> list[float]:
    """A bell curve of marks around the pupil's ability, twos and ones damped."""
    return list(itertools.accumulate(math.exp(-((int(v) - ability) ** 2) / 0.72) * DAMPING[v] for v in VALUES))


def _value(ability: float, rng: random.Random) -> str:
    return rng.choices(VALUES, cum_weights=_weights(round(ability * 20) / 20))[0]


def _comment(value: str, rng: random.Random) -> str:
    return rng.choice(COMMENTS["low" if value in ("1", "2", "3") else value])


@transaction.atomic
def fill_journals(*, year: AcademicYear, today: datetime.date, seed: int = 2026) -> JournalFill:
    """Fill every course's in-journal lessons of `year` dated before `today` (see the module's docstring): a fixed
    number of reads for the whole school, then bulk writes in batches."""
    fill = _Fill(year=year, today=today, seed=seed)
    for course, lessons in fill.courses():
        fill.course(course, lessons)
    return fill.write()


@dataclass
class _Entry:
    """A lesson being filled: who fills it, when it began and when its journal was filled in."""

    lesson: Lesson
    index: int  # the lesson's place among the course's lessons
    step: _Step
    author: User
    starts: datetime.datetime
    entered: datetime.datetime
    late: bool  # the lesson's journal was filled after the deadline (R-D01)
    untidy: bool  # not the demo teacher's: may be late, may have gaps


class _Fill:
    """One school year's fill: what is read once for the whole school, and the rows to write."""

    def __init__(self, *, year: AcademicYear, today: datetime.date, seed: int):
        self.year = AcademicYear.objects.select_related("school").get(pk=year.pk)
        self.school = school = self.year.school
        self.today, self.seed = today, seed
        self.tz = zoneinfo.ZoneInfo(school.timezone)
        self.rules = SchoolSettings.objects.filter(school=school).first() or SchoolSettings(school=school)
        self.result = JournalFill()
        self.topics: list[Lesson] = []
        self.taken: list[AttendanceTaken] = []
        self.absences: list[Absence] = []
        self.works: list[LessonWork] = []
        self.marks: list[tuple[Mark, LessonWork]] = []  # the marks and their works, not saved yet
        self.homework: list[Homework] = []

        in_year = {"school": school, "course__year": self.year}
        self.lessons = list(
            Lesson.objects.filter(date__lt=today, **in_year)
            .in_journal()
            .select_related("substitution__substitute")
            .order_by("date", "number", "pk")
        )
        # A lesson that already holds a record (someone used the journal) is left as it is.
        past = {"school": school, "lesson__course__year": self.year, "lesson__date__lt": today}
        self.recorded = set(
            LessonWork.objects.filter(**past)
            .order_by()
            .values_list("lesson_id", flat=True)
            .union(
                AttendanceTaken.objects.filter(**past).order_by().values_list("lesson_id", flat=True),
                Homework.objects.filter(**past).order_by().values_list("lesson_id", flat=True),
                Absence.objects.filter(**past).order_by().values_list("lesson_id", flat=True),
            )
        )
        self.by_pk = {
            c.pk: c
            for c in Course.objects.filter(school=school, year=self.year).select_related(
                "subject", "school_class", "group__school_class"
            )
        }
        self.teacher_of: dict[int, User] = {}
        links = CourseTeacher.objects.filter(school=school, course__year=self.year).select_related("teacher")
        for link in links.order_by("pk"):
            self.teacher_of.setdefault(link.course_id, link.teacher)  # the first of a course's teachers fills it
        self.next_lesson: dict[int, int] = {}  # course → its first in-journal lesson from today on
        for course_id, lesson_id in (
            Lesson.objects.filter(date__gte=today, **in_year)
            .in_journal()
            .order_by("-date", "-number", "-pk")
            .values_list("course_id", "pk")
        ):
            self.next_lesson[course_id] = lesson_id
        self.lists: dict[tuple[str, int], list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
        self.username: dict[int, str] = {}
        for kind, rows in (
            ("class", Enrollment.objects.filter(school=school, school_class__year=self.year)),
            ("group", GroupMembership.objects.filter(school=school, group__year=self.year)),
        ):
            target = "school_class_id" if kind == "class" else "group_id"
            for target_id, pupil_id, name, since, until in rows.order_by("pupil__username", "since").values_list(
                target, "pupil_id", "pupil__username", "since", "until"
            ):
                self.lists[(kind, target_id)].append((pupil_id, since, until))
                self.username[pupil_id] = name
        self.plans: dict[int, list[PlanItem]] = defaultdict(list)
        for item in PlanItem.objects.filter(school=school, course__year=self.year).order_by("course_id", "position"):
            self.plans[item.course_id].append(item)
        self.kinds = _kinds(list(WorkType.objects.filter(school=school).order_by("position", "pk")))
        self.bells: dict[tuple[int, int], datetime.time] = {}
        self.first_bell: dict[int, datetime.time] = {}
        for schedule_id, number, start in (
            Bell.objects.filter(school=school).order_by("number").values_list("schedule_id", "number", "start")
        ):
            self.bells[(schedule_id, number)] = start
            if number >= 1:
                self.first_bell.setdefault(schedule_id, start)

        # Who each pupil is, and when they are away for whole days.
        pupils = sorted(self.username, key=self.username.__getitem__)
        rng = _rng(seed, "ability")
        # Averages from about 3.0 to 4.9: most pupils are «хорошисты», a few struggle, a few excel.
        self.ability = {pid: 2.9 + 2.3 * rng.betavariate(2.0, 1.6) for pid in pupils}
        for pid in pupils:
            if self.username[pid] == DEMO_PUPIL:
                self.ability[pid] = 4.3  # the demo family sees a good pupil's diary, fours and fives
        school_days = sorted({lesson.date for lesson in self.lessons})
        self.away = _days_away(pupils, school_days, _rng(seed, "away"))

        # The gaps for the control reports: the last school days, some colleagues, one 5А course.
        self.gap_days = set(school_days[-GAP_DAYS:])
        self.gap_since = today - datetime.timedelta(days=GAP_COURSE_DAYS)
        self.demo_teacher = next((t.pk for t in self.teacher_of.values() if t.username == DEMO_TEACHER), None)
        gap_course = _gap_course(self.by_pk.values(), self.teacher_of)
        self.result.gap_course_id = gap_course.pk if gap_course is not None else None
        rng = _rng(seed, "staff")
        teachers = sorted({t.pk: t for t in self.teacher_of.values()}.values(), key=lambda t: t.username)
        # Some colleagues fill the journal at the end of the week: their recent lessons are what the reports find.
        self.sloppy = {t.pk for t in teachers if t.username not in STABLE_STAFF and rng.random() < 0.2}

    def courses(self):
        """The courses with lessons before today and a teacher, in a stable order, each with its lessons."""
        by_course: dict[int, list[Lesson]] = defaultdict(list)
        for lesson in self.lessons:
            by_course[lesson.course_id].append(lesson)
        found = [self.by_pk[c] for c in by_course if c in self.teacher_of]
        for course in sorted(found, key=_course_key):
            yield course, by_course[course.pk]

    def _starts(self, lesson: Lesson, course: Course) -> datetime.datetime:
        school_class = course.school_class or (course.group.school_class if course.group_id else None)
        schedule_id = school_class.bell_schedule_id if school_class is not None else None
        time = self.bells.get((schedule_id, lesson.number))
        if time is None:  # a lesson 0 where the school rings no bell 0: before the first bell
            first = self.first_bell.get(schedule_id, datetime.time(8, 0))
            time = (datetime.datetime.combine(lesson.date, first) - datetime.timedelta(minutes=50)).time()
        return datetime.datetime.combine(lesson.date, time, tzinfo=self.tz)

    def _evening(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(rng.randint(17, 21), rng.randint(0, 59)), tzinfo=self.tz)

    def course(self, course: Course, lessons: list[Lesson]) -> None:
        teacher = self.teacher_of[course.pk]
        rng = _rng(self.seed, *_course_key(course))
        grade = _grade(course) or 5
        attested = course.kind == Course.Kind.LESSON and course.attested
        # The first grade has neither marks nor homework (безотметочное обучение).
        with_marks = attested and grade >= 2 and self.kinds is not None
        homework_kind = HOMEWORK_KIND.get(course.subject.name) if attested and grade >= 2 else None
        rows = self.lists[("group", course.group_id) if course.group_id else ("class", course.school_class_id)]
        tidy = teacher.pk == self.demo_teacher
        script = _script(course, len(lessons), self.plans.get(course.pk, []), rng)
        counts: dict[int, int] = defaultdict(int)  # marks so far: the teacher asks those not asked for a while
        strength: dict[int, float] = {}  # the pupil's ability in this subject

        for index, (lesson, step) in enumerate(zip(lessons, script, strict=True)):
            if lesson.pk in self.recorded:
                continue
            substitution = getattr(lesson, "substitution", None)
            author = substitution.substitute if substitution is not None else teacher
            untidy = not tidy and author.pk != self.demo_teacher
            starts = self._starts(lesson, course)
            entered, late = starts + datetime.timedelta(minutes=rng.randint(2, 10)), False
            late_day = lesson.date + datetime.timedelta(days=self.rules.mark_entry_days + rng.randint(1, 3))
            if untidy and rng.random() < 0.01 and late_day < self.today:
                entered, late = self._evening(late_day, rng), True
            if untidy and lesson.date in self.gap_days and rng.random() < (0.5 if author.pk in self.sloppy else 0.05):
                self.result.gaps += 1
                continue  # not filled yet: no topic, no attendance, no marks, no homework
            self.result.lessons += 1
            entry = _Entry(lesson, index, step, author, starts, entered, late, untidy)
            if not lesson.topic and step.topic and (not untidy or rng.random() < 0.97):
                lesson.topic, lesson.plan_item = step.topic[:500], step.plan_item
                lesson.topic_from_plan = step.plan_item is not None
                lesson._history_user, lesson._history_date = author, entered
                self.topics.append(lesson)
            present = self._attendance(entry, rows, rng)
            no_marks = course.pk == self.result.gap_course_id and lesson.date >= self.gap_since
            if with_marks and present and not no_marks:
                self._marks(entry, course, present, counts, strength, rng)
            if homework_kind is not None:
                share = HOMEWORK_SHARE_OF.get(homework_kind, HOMEWORK_SHARE)
                if untidy and lesson.date in self.gap_days:
                    share *= 0.8  # a few homework not entered yet
                if rng.random() < share:
                    due = lessons[index + 1].pk if index + 1 < len(lessons) else self.next_lesson.get(course.pk)
                    self._homework(entry, course, homework_kind, grade, due, rng)

    def _attendance(self, entry: _Entry, rows, rng: random.Random) -> list[int]:
        """Attendance taken, the absences of the pupils on the list; returns the pupils in class."""
        lesson, author, entered, late = entry.lesson, entry.author, entry.entered, entry.late
        taken = AttendanceTaken(school_id=self.school.pk, lesson_id=lesson.pk, by_id=author.pk, at=entered)
        taken.entered_late = late
        self.taken.append(taken)
        day, present = lesson.date, []
        late_share = 0.008 + (0.02 if lesson.number <= 1 else 0.003)  # late mostly for the first lesson
        for pid, since, until in rows:
            if since > day or (until is not None and until < day):
                continue  # not on the lesson's list on its date
            code, minutes = self.away.get((pid, day)), None
            if code is None:
                r = rng.random()
                if r < 0.006:
                    code = Code.ABSENT
                elif r < 0.008:
                    code = Code.EXCUSED
                elif r < late_share:
                    code, minutes = Code.LATE, min(rng.randint(3, 15), MAX_LATE_MINUTES)
            if code in (None, Code.LATE, Code.REMOTE):
                present.append(pid)
            if code is not None:
                absence = Absence(
                    school_id=self.school.pk,
                    lesson_id=lesson.pk,
                    pupil_id=pid,
                    code=code,
                    minutes=minutes,
                    author_id=author.pk,
                    entered_late=late,
                    created_at=entered,
                    updated_at=entered,
                )
                absence._history_user, absence._history_date = author, entered
                self.absences.append(absence)
        return present

    def _marks(self, entry: _Entry, course: Course, present: list[int], counts, strength, rng: random.Random) -> None:
        grade = _grade(course) or 5
        for position, (work_type, share) in enumerate(
            _works(entry.step, self.kinds, course.subject.name, grade, entry.index, float(course.hours_per_week), rng)
        ):
            work = LessonWork(
                school_id=self.school.pk,
                lesson_id=entry.lesson.pk,
                work_type_id=work_type.pk,
                title=entry.step.topic[:200] if work_type.is_control else "",
                position=position,
            )
            self.works.append(work)
            if share >= 1:
                chosen = present
            else:
                size = max(1, round(len(present) * share))
                chosen = sorted(present, key=lambda p: counts[p] + rng.random() * 1.5)[:size]
            due_days = work_type.entry_deadline_days or self.rules.mark_entry_days
            column_late = entry.untidy and rng.random() < 0.01
            harder = 0.25 if work_type.is_control else 0.0
            for pid in chosen:
                if pid not in strength:
                    strength[pid] = self.ability[pid] + rng.gauss(0, 0.3)
                value = _value(max(2.7, min(5.3, strength[pid] - harder)), rng)
                counts[pid] += 1
                when, late = self._mark_time(entry, oral=share < 0.5, due_days=due_days, late=column_late, rng=rng)
                mark = Mark(
                    school_id=self.school.pk,
                    pupil_id=pid,
                    value=value,
                    comment=_comment(value, rng) if rng.random() < 0.02 else "",
                    author_id=entry.author.pk,
                    entered_late=late,
                    created_at=when,
                )
                mark._history_user, mark._history_date = entry.author, when
                self.marks.append((mark, work))

    def _mark_time(
        self, entry: _Entry, *, oral: bool, due_days: int, late: bool, rng
    ) -> tuple[datetime.datetime, bool]:
        """When a mark was entered and whether after its deadline: an answer during the lesson, a written work's
        marks an evening or two later (within the work type's deadline), now and then a whole column late."""
        day = entry.lesson.date
        if late:
            late_day = day + datetime.timedelta(days=due_days + rng.randint(1, 3))
            if late_day < self.today:
                return self._evening(late_day, rng), True
        if oral:
            if entry.late:
                return entry.entered, True
            return entry.starts + datetime.timedelta(minutes=rng.randint(5, 40)), False
        checked = day + datetime.timedelta(days=rng.randint(0, min(due_days, 2)))
        return self._evening(checked if checked < self.today else day, rng), False

    def _homework(self, entry: _Entry, course: Course, kind: str, grade: int, due: int | None, rng) -> None:
        text, pages, exercises = _homework(kind, grade, entry.index, float(course.hours_per_week) or 1.0, rng)
        day = entry.lesson.date
        set_at, late = entry.starts + datetime.timedelta(minutes=rng.randint(35, 44)), False
        if entry.untidy and rng.random() < 0.02 and day + datetime.timedelta(days=1) < self.today:
            set_at, late = self._evening(day + datetime.timedelta(days=1), rng), True
        item = Homework(
            school_id=self.school.pk,
            lesson_id=entry.lesson.pk,
            text=text,
            pages=pages,
            exercises=exercises,
            due_lesson_id=due,
            author_id=entry.author.pk,
            entered_late=late,
        )
        item._history_user, item._history_date = entry.author, set_at
        self.homework.append(item)

    def write(self) -> JournalFill:
        """Bulk writes in batches, each row with its history: the author and the moment it was entered."""
        _set_topics(self.topics)
        AttendanceTaken.objects.bulk_create(self.taken, batch_size=BATCH)
        if self.absences:
            bulk_create_with_history(self.absences, Absence, batch_size=BATCH)
        LessonWork.objects.bulk_create(self.works, batch_size=BATCH)
        if self.marks:
            for mark, work in self.marks:
                mark.work_id = work.pk
            created = bulk_create_with_history([mark for mark, _work in self.marks], Mark, batch_size=BATCH)
            _keep_entry_time(Mark, [m.pk for m in created], self.school.pk, F("created_at"), F("created_at"))
        if self.homework:
            created = bulk_create_with_history(self.homework, Homework, batch_size=BATCH)
            history = Homework.history.model._default_manager
            first = history.filter(id=OuterRef("pk")).order_by("history_date").values("history_date")[:1]
            _keep_entry_time(Homework, [h.pk for h in created], self.school.pk, Subquery(first), F("history_date"))
        result = self.result
        result.topics, result.attendance_taken, result.absences = len(self.topics), len(self.taken), len(self.absences)
        result.works, result.marks, result.homework = len(self.works), len(self.marks), len(self.homework)
        return result


def _course_key(course: Course) -> tuple:
    """A course's stable name: the random streams are keyed by it, so ids do not change the journals."""
    return (_grade(course) or 0, course.audience, course.subject.name, course.kind, course.title)


def _set_topics(lessons: list[Lesson]) -> None:
    """The lessons' topics, with their history. One UPDATE per distinct topic: the demo's topics repeat across
    classes, and a CASE per lesson (bulk_update) is several times slower on SQLite. The history rows, each with the
    lesson's author and time, come from bulk_update_with_history with nothing left to update."""
    same: dict[tuple, list[int]] = defaultdict(list)
    for lesson in lessons:
        same[(lesson.topic, lesson.topic_from_plan, lesson.plan_item_id)].append(lesson.pk)
    for (topic, from_plan, item), pks in same.items():
        for start in range(0, len(pks), 900):
            Lesson.objects.filter(pk__in=pks[start : start + 900]).update(
                topic=topic, topic_from_plan=from_plan, plan_item_id=item
            )
    if lessons:
        bulk_update_with_history(lessons, Lesson, [], batch_size=BATCH)


def _keep_entry_time(model, pks: list[int], school_id: int, value, history_value) -> None:
    """`updated_at` is `auto_now`: a bulk insert stamps it (and the history copied from the rows) with the seeding
    moment. Set it back to when the row was entered, in two queries."""
    if not pks:
        return
    span = (min(pks), max(pks))
    model._default_manager.filter(school_id=school_id, pk__range=span).update(updated_at=value)
    model.history.model._default_manager.filter(school_id=school_id, id__range=span).update(updated_at=history_value)


def _works(step: _Step, kinds: _Kinds, subject: str, grade: int, index: int, hours: float, rng: random.Random):
    """The lesson's works as (work type, share of the pupils in class marked): none, one or two; a control work
    alone on its lesson, marked for everyone in class. A course of few hours a week marks more of the class per
    lesson, so that every pupil has the marks a period mark needs (R-E06, R-E07)."""
    if step.control and kinds.control is not None:
        return [(kinds.control, 1.0)]
    few = 0.15 if hours <= 1 else 0.05 if hours <= 2 else 0.0  # more of the class marked in a short course

    def oral() -> tuple[WorkType, float]:
        kind = kinds.oral[0] if len(kinds.oral) == 1 or rng.random() < 0.8 else rng.choice(kinds.oral[1:])
        return kind, rng.uniform(0.2, 0.3) + few

    if index == 0 or step.topic == ANALYSIS:
        return [] if rng.random() < 0.6 else [oral()]
    r, idle = rng.random(), 0.6 if hours >= 4 else 0.5 if hours >= 3 else 0.35 if hours >= 2 else 0.15
    count = 0 if r < idle else 1 if r < 0.95 else 2
    chosen: list[tuple[WorkType, float]] = []
    for n in range(count):
        pick = rng.random()
        if n == 0 and pick < 0.8 or not (kinds.written or kinds.essays):
            candidate = oral()
        elif kinds.essays and subject in ESSAY_SUBJECTS and grade >= 5 and pick > 0.95 or not kinds.written:
            candidate = (rng.choice(kinds.essays), rng.uniform(0.6, 0.9))
        else:
            # Written works are checked for all, but marked selectively, as most teachers do.
            candidate = (rng.choice(kinds.written), rng.uniform(0.3, 0.45) + few)
        if all(candidate[0] != c[0] for c in chosen):
            chosen.append(candidate)
    return chosen


def _days_away(pupils: list[int], days: list[datetime.date], rng: random.Random) -> dict:
    """Whole school days a pupil is away: an illness of 2-5 school days (code ill on all their lessons), a day or
    two for family reasons, now and then a day of remote learning. Some pupils are often ill, most rarely."""
    away: dict[tuple[int, datetime.date], str] = {}
    for pid in pupils:
        frailty = rng.random()
        i = 0
        while i < len(days):
            if rng.random() < 0.02 * frailty:
                r = rng.random()
                if r < 0.8:
                    code, length = Code.ILL, rng.choice((2, 3, 3, 4, 4, 5))
                elif r < 0.93:
                    code, length = Code.EXCUSED, rng.choice((1, 2))
                else:
                    code, length = Code.REMOTE, 1
                run = [days[i]]
                for day in days[i + 1 : i + length]:
                    if (day - run[-1]).days > 3:
                        break  # the holidays end an illness
                    run.append(day)
                for day in run:
                    away[(pid, day)] = code
                i += len(run) + 5
            i += 1
    return away


def _gap_course(courses, teacher_of: dict[int, User]) -> Course | None:
    """5А's whole-class course whose teacher has given no marks for three weeks: not one of the stable staff's, so
    the demo teacher's journal looks well kept; the longest such course, so that the gap shows."""
    candidates = [
        c
        for c in courses
        if c.school_class_id is not None
        and c.group_id is None
        and (c.school_class.grade, c.school_class.letter) == (5, "А")
        and c.kind == Course.Kind.LESSON
        and c.attested
        and c.pk in teacher_of
        and teacher_of[c.pk].username not in STABLE_STAFF
    ]
    return min(candidates, key=lambda c: (-c.hours_per_week, c.subject.name), default=None)
