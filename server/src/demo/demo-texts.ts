/**
 * What demo customers and agents write, in the four languages the desk serves. Each scenario is
 * one kind of request: the customer's opening words, a follow-up, the agent's first answer and
 * the answer that solves it. `{name}` is the customer's first name, `{agent}` the agent's.
 */
import type { Language as Lang } from '../../../common/enums.js';

export type { Lang };

export type ScenarioText = { subject: string; body: string; followUp: string; reply: string; fix: string };

export type Scenario = {
  key: string;
  /** Who asks: customers of the company, or its own employees (the IT service desk). */
  audience: 'external' | 'internal';
  category: string;
  tags: string[];
  /** The team a dispatcher sends it to first. */
  team: 'l1' | 'billing' | 'it';
  /** Share of these tickets that go on to Level 2. */
  escalation: number;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  /** What the agent writes to colleagues (internal notes are in the desk's working language). */
  note: string;
  text: Record<Lang, ScenarioText>;
};

export const scenarios: Scenario[] = [
  {
    key: 'login-reset',
    audience: 'external',
    category: 'login',
    tags: ['password', 'account'],
    team: 'l1',
    escalation: 0.1,
    priority: 'normal',
    note: 'Account was locked after five failed attempts; unlocked it and sent a fresh reset link.',
    text: {
      en: {
        subject: 'Cannot sign in after resetting my password',
        body: 'Hello, I reset my password this morning but the site still says my password is wrong. I need to get into my account today to download our invoices.',
        followUp: 'I tried again in a private window and it is the same error. Is my account blocked?',
        reply: 'Hello {name}, thank you for writing to us. I checked your account and it was locked after several attempts. I have unlocked it and sent you a new reset link. Could you try it and tell me if it works?\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, your account is active again and the new password is saved. If anything else comes up, just reply to this message and we will help.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'لا أستطيع تسجيل الدخول بعد إعادة تعيين كلمة المرور',
        body: 'مرحباً، قمت بإعادة تعيين كلمة المرور صباح اليوم لكن الموقع ما زال يقول إن كلمة المرور خاطئة. أحتاج إلى الدخول إلى حسابي اليوم لتنزيل الفواتير.',
        followUp: 'جربت مرة أخرى من نافذة خاصة وظهر نفس الخطأ. هل حسابي محظور؟',
        reply: 'مرحباً {name}، شكراً لتواصلك معنا. راجعت حسابك ووجدت أنه قُفل بعد عدة محاولات فاشلة. قمت بفتحه وأرسلت لك رابطاً جديداً لإعادة التعيين. هل يمكنك تجربته وإخباري بالنتيجة؟\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، حسابك يعمل الآن وتم حفظ كلمة المرور الجديدة. إذا احتجت أي شيء آخر فقط رد على هذه الرسالة وسنساعدك.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'بعد از بازنشانی رمز عبور نمی‌توانم وارد شوم',
        body: 'سلام، امروز صبح رمز عبورم را بازنشانی کردم ولی سایت هنوز می‌گوید رمز اشتباه است. امروز باید وارد حسابم شوم تا فاکتورها را دانلود کنم.',
        followUp: 'در پنجره خصوصی هم امتحان کردم و همان خطا را می‌دهد. آیا حساب من مسدود شده است؟',
        reply: 'سلام {name}، ممنون که با ما تماس گرفتید. حساب شما را بررسی کردم؛ بعد از چند تلاش ناموفق قفل شده بود. قفل را باز کردم و یک لینک جدید برای بازنشانی فرستادم. لطفاً امتحان کنید و نتیجه را به من بگویید.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، حساب شما دوباره فعال است و رمز جدید ذخیره شد. اگر سؤال دیگری داشتید کافی است به همین پیام پاسخ دهید.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Не могу войти после сброса пароля',
        body: 'Здравствуйте! Утром я сбросил пароль, но сайт по-прежнему пишет, что пароль неверный. Мне нужно сегодня зайти в личный кабинет, чтобы скачать счета.',
        followUp: 'Попробовал ещё раз в режиме инкогнито — та же ошибка. Мою учётную запись заблокировали?',
        reply: 'Здравствуйте, {name}! Спасибо, что написали. Я проверил вашу учётную запись: после нескольких неудачных попыток она была заблокирована. Я её разблокировал и отправил новую ссылку для сброса. Попробуйте, пожалуйста, и напишите, получилось ли.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Учётная запись снова активна, новый пароль сохранён. Если возникнут вопросы, просто ответьте на это письмо — мы поможем.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'double-charge',
    audience: 'external',
    category: 'billing',
    tags: ['refund', 'payment'],
    team: 'billing',
    escalation: 0.15,
    priority: 'high',
    note: 'Payment gateway shows two captures for the same order; refund of the second one requested.',
    text: {
      en: {
        subject: 'Charged twice for the monthly subscription',
        body: 'Hi, our card was charged twice for this month\'s subscription, on the same day and for the same amount. Please refund the second payment.',
        followUp: 'Any news on the refund? Our accountant is asking about it.',
        reply: 'Hello {name}, thank you for letting us know, and sorry for the trouble. I can see both payments and I have asked our billing team to refund the duplicate. I will write again as soon as it is confirmed.\n\nKind regards,\n{agent}',
        fix: 'Hello {name}, the duplicate payment has been refunded; it usually appears on the card within 3–5 working days. If it does not, please write back and I will check again.\n\nKind regards,\n{agent}',
      },
      ar: {
        subject: 'تم خصم رسوم الاشتراك الشهري مرتين',
        body: 'السلام عليكم، تم خصم رسوم اشتراك هذا الشهر من بطاقتنا مرتين في نفس اليوم وبنفس المبلغ. نرجو استرداد الدفعة الثانية.',
        followUp: 'هل من جديد بخصوص الاسترداد؟ المحاسب عندنا يسأل عنه.',
        reply: 'مرحباً {name}، شكراً لإبلاغنا ونعتذر عن الإزعاج. أرى الدفعتين في النظام وقد طلبت من فريق الفواتير استرداد الدفعة المكررة. سأكتب لك فور تأكيد ذلك.\n\nمع خالص التحية،\n{agent}',
        fix: 'مرحباً {name}، تم استرداد الدفعة المكررة، وعادةً يظهر المبلغ في البطاقة خلال ٣ إلى ٥ أيام عمل. إذا لم يظهر يرجى الرد على هذه الرسالة وسأتابع الأمر.\n\nمع خالص التحية،\n{agent}',
      },
      fa: {
        subject: 'هزینه اشتراک ماهانه دو بار کسر شده است',
        body: 'سلام، هزینه اشتراک این ماه دو بار در یک روز و با همان مبلغ از کارت ما برداشت شده است. لطفاً پرداخت دوم را برگردانید.',
        followUp: 'خبری از بازگشت وجه نشد؟ حسابدار ما پیگیری می‌کند.',
        reply: 'سلام {name}، ممنون که اطلاع دادید و بابت این مشکل عذرخواهی می‌کنیم. هر دو پرداخت را می‌بینم و از تیم مالی خواستم پرداخت تکراری را برگرداند. به محض تأیید دوباره برایتان می‌نویسم.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، مبلغ تکراری برگشت داده شد و معمولاً ظرف ۳ تا ۵ روز کاری در کارت دیده می‌شود. اگر دیده نشد لطفاً پاسخ دهید تا دوباره بررسی کنم.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Ежемесячная подписка списана дважды',
        body: 'Добрый день! С нашей карты дважды списали оплату подписки за этот месяц — в один день и на одну и ту же сумму. Пожалуйста, верните второй платёж.',
        followUp: 'Есть новости по возврату? Бухгалтер спрашивает.',
        reply: 'Здравствуйте, {name}! Спасибо, что сообщили, и извините за неудобство. Я вижу оба платежа и передал в финансовый отдел запрос на возврат лишнего. Напишу, как только возврат подтвердят.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Лишний платёж возвращён; обычно деньги приходят на карту за 3–5 рабочих дней. Если не придут — ответьте на это письмо, и я проверю ещё раз.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'invoice-correction',
    audience: 'external',
    category: 'billing',
    tags: ['invoice'],
    team: 'billing',
    escalation: 0,
    priority: 'low',
    note: 'Tax number was missing from the company profile; added it and regenerated the invoice.',
    text: {
      en: {
        subject: 'Please correct the company name and tax number on our invoice',
        body: 'Hello, the invoice for last month shows our old company name and no tax number. Could you send a corrected invoice? Our tax number is in the attached profile.',
        followUp: 'Just checking: did you receive the tax number? We need the invoice before the end of the month.',
        reply: 'Hello {name}, thank you for the details. I have updated your company profile and asked for the invoice to be issued again. You will receive it by email shortly.\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, the corrected invoice is now in your account under Billing → Invoices, and a copy is on its way by email. Let us know if anything else needs changing.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'نرجو تصحيح اسم الشركة والرقم الضريبي في الفاتورة',
        body: 'مرحباً، تظهر فاتورة الشهر الماضي باسم شركتنا القديم ومن دون الرقم الضريبي. هل يمكنكم إرسال فاتورة مصححة؟ الرقم الضريبي موجود في الملف المرفق.',
        followUp: 'للتأكيد فقط: هل وصلكم الرقم الضريبي؟ نحتاج الفاتورة قبل نهاية الشهر.',
        reply: 'مرحباً {name}، شكراً على التفاصيل. قمت بتحديث بيانات شركتكم وطلبت إصدار الفاتورة من جديد، وستصلكم بالبريد الإلكتروني قريباً.\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، الفاتورة المصححة متاحة الآن في حسابكم ضمن قسم الفواتير، وأرسلنا نسخة بالبريد. أخبرونا إذا احتاج أي شيء آخر إلى تعديل.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'لطفاً نام شرکت و شناسه مالیاتی را در فاکتور اصلاح کنید',
        body: 'سلام، فاکتور ماه گذشته با نام قدیمی شرکت ما و بدون شناسه مالیاتی صادر شده است. ممکن است فاکتور اصلاح‌شده بفرستید؟ شناسه مالیاتی در فایل پیوست هست.',
        followUp: 'فقط برای اطمینان: شناسه مالیاتی به دستتان رسید؟ فاکتور را تا آخر ماه لازم داریم.',
        reply: 'سلام {name}، ممنون بابت اطلاعات. مشخصات شرکت شما را به‌روز کردم و درخواست صدور دوباره فاکتور را دادم. به‌زودی با ایمیل به دستتان می‌رسد.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، فاکتور اصلاح‌شده اکنون در حساب شما در بخش صورتحساب‌ها هست و یک نسخه هم ایمیل شد. اگر مورد دیگری نیاز به اصلاح داشت خبر دهید.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Исправьте, пожалуйста, название компании и ИНН в счёте',
        body: 'Здравствуйте! В счёте за прошлый месяц указано старое название компании и нет ИНН. Можете прислать исправленный счёт? Реквизиты во вложении.',
        followUp: 'Уточняю: вы получили реквизиты? Счёт нужен до конца месяца.',
        reply: 'Здравствуйте, {name}! Спасибо за реквизиты. Я обновил данные компании и запросил повторный выпуск счёта — он скоро придёт на почту.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Исправленный счёт уже в личном кабинете в разделе «Счета», копия отправлена на почту. Если нужно что-то ещё поправить — напишите.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'slow-connection',
    audience: 'external',
    category: 'network',
    tags: ['performance', 'outage'],
    team: 'l1',
    escalation: 0.45,
    priority: 'high',
    note: 'Traceroute from the customer shows loss at the regional edge; opened a case with the hosting provider.',
    text: {
      en: {
        subject: 'The service is very slow and keeps disconnecting',
        body: 'Since yesterday afternoon the web app takes almost a minute to load each page and our team gets disconnected every few minutes. Our internet works fine for other sites.',
        followUp: 'It is still slow today. Here is the traceroute you asked for.',
        reply: 'Hello {name}, thank you for the report. To find where the delay happens, could you run a traceroute to app.frontline.example and send us the result? Meanwhile I am checking our servers in your region.\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, our hosting provider fixed a faulty route in your region and page loads are back to normal in our tests. Could you confirm it is fast again for your team? We are here if it happens again.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'الخدمة بطيئة جداً وينقطع الاتصال باستمرار',
        body: 'منذ ظهر أمس تستغرق كل صفحة في التطبيق قرابة دقيقة للتحميل، وينقطع الاتصال عن فريقنا كل بضع دقائق. الإنترنت لدينا يعمل بشكل طبيعي مع المواقع الأخرى.',
        followUp: 'ما زالت الخدمة بطيئة اليوم. أرفقت نتيجة تتبع المسار التي طلبتموها.',
        reply: 'مرحباً {name}، شكراً على البلاغ. لمعرفة مكان التأخير، هل يمكنك تشغيل أمر تتبع المسار إلى app.frontline.example وإرسال النتيجة؟ في الأثناء أتحقق من خوادمنا في منطقتكم.\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، أصلح مزود الاستضافة مساراً معطلاً في منطقتكم وعادت سرعة تحميل الصفحات إلى طبيعتها في اختباراتنا. هل يمكنك التأكد من أن الخدمة سريعة الآن لدى فريقك؟ نحن هنا إذا تكرر الأمر.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'سرویس خیلی کند است و مدام قطع می‌شود',
        body: 'از دیروز بعدازظهر باز شدن هر صفحه تقریباً یک دقیقه طول می‌کشد و اتصال همکاران ما هر چند دقیقه یک بار قطع می‌شود. اینترنت ما برای سایت‌های دیگر مشکلی ندارد.',
        followUp: 'امروز هم هنوز کند است. نتیجه traceroute که خواسته بودید را فرستادم.',
        reply: 'سلام {name}، ممنون از گزارش شما. برای پیدا کردن محل تأخیر، لطفاً یک traceroute به app.frontline.example بگیرید و نتیجه را بفرستید. در این فاصله سرورهای منطقه شما را بررسی می‌کنم.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، ارائه‌دهنده میزبانی یک مسیر معیوب در منطقه شما را درست کرد و در آزمایش‌های ما سرعت صفحه‌ها عادی شده است. لطفاً تأیید کنید که برای همکارانتان هم سریع است. اگر دوباره تکرار شد در خدمتیم.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Сервис очень медленно работает и постоянно отключается',
        body: 'Со вчерашнего дня каждая страница грузится почти минуту, а сотрудников выкидывает из системы каждые несколько минут. Другие сайты открываются нормально.',
        followUp: 'Сегодня всё так же медленно. Прикладываю трассировку, как вы просили.',
        reply: 'Здравствуйте, {name}! Спасибо за сообщение. Чтобы понять, где возникает задержка, выполните, пожалуйста, трассировку до app.frontline.example и пришлите результат. Тем временем я проверяю наши серверы в вашем регионе.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Хостинг-провайдер исправил неисправный маршрут в вашем регионе, и по нашим замерам страницы снова грузятся быстро. Подтвердите, пожалуйста, что у ваших сотрудников всё работает. Если повторится — пишите.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'excel-export',
    audience: 'external',
    category: 'feature-request',
    tags: ['reports', 'export'],
    team: 'l1',
    escalation: 0.2,
    priority: 'low',
    note: 'Third request for Excel export this month; added to the product feedback list.',
    text: {
      en: {
        subject: 'Feature request: export reports to Excel',
        body: 'Hi team, we would love to export the monthly reports to Excel instead of PDF. Our finance department has to retype the numbers every month.',
        followUp: 'Is there any date for this? Even a CSV export would help us a lot.',
        reply: 'Hello {name}, thank you for the suggestion, it is a good one. I have passed it to our product team together with your use case. In the meantime you can copy the report table directly into Excel from the web page.\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, good news: CSV export of reports is now available under Reports → Export. Thank you for the idea, and please keep the suggestions coming.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'طلب ميزة: تصدير التقارير إلى Excel',
        body: 'مرحباً، نتمنى أن نتمكن من تصدير التقارير الشهرية إلى Excel بدلاً من PDF. قسم المالية لدينا يعيد كتابة الأرقام يدوياً كل شهر.',
        followUp: 'هل هناك موعد متوقع لهذه الميزة؟ حتى التصدير إلى CSV سيساعدنا كثيراً.',
        reply: 'مرحباً {name}، شكراً على الاقتراح، إنه اقتراح مفيد. نقلته إلى فريق المنتج مع شرح حاجتكم. وحتى ذلك الحين يمكنكم نسخ جدول التقرير من الصفحة ولصقه في Excel مباشرة.\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، أخبار سارة: أصبح تصدير التقارير بصيغة CSV متاحاً من قسم التقارير ثم تصدير. شكراً على الفكرة، ويسعدنا دائماً سماع اقتراحاتكم.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'درخواست قابلیت: خروجی گزارش‌ها به Excel',
        body: 'سلام، خیلی خوب می‌شد اگر می‌توانستیم گزارش‌های ماهانه را به جای PDF به Excel خروجی بگیریم. واحد مالی ما هر ماه اعداد را دوباره تایپ می‌کند.',
        followUp: 'تاریخی برای این قابلیت مشخص شده؟ حتی خروجی CSV هم خیلی کمک می‌کند.',
        reply: 'سلام {name}، ممنون از پیشنهادتان، پیشنهاد خوبی است. آن را همراه با نیاز شما به تیم محصول دادم. تا آن زمان می‌توانید جدول گزارش را از صفحه کپی و مستقیم در Excel بچسبانید.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، خبر خوب: خروجی CSV گزارش‌ها اکنون از بخش گزارش‌ها ← خروجی در دسترس است. ممنون از ایده‌تان و خوشحال می‌شویم پیشنهادهای دیگرتان را هم بشنویم.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Пожелание: выгрузка отчётов в Excel',
        body: 'Добрый день! Очень хотим выгружать ежемесячные отчёты в Excel, а не в PDF. Бухгалтерии приходится каждый месяц перепечатывать цифры вручную.',
        followUp: 'Есть ли сроки? Даже выгрузка в CSV нам бы очень помогла.',
        reply: 'Здравствуйте, {name}! Спасибо за предложение — оно дельное. Я передал его команде продукта вместе с вашим сценарием. Пока можно скопировать таблицу отчёта прямо со страницы и вставить в Excel.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Хорошая новость: выгрузка отчётов в CSV теперь доступна в разделе «Отчёты» → «Экспорт». Спасибо за идею, будем рады новым предложениям.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'app-crash',
    audience: 'external',
    category: 'bug',
    tags: ['mobile-app', 'crash'],
    team: 'l1',
    escalation: 0.5,
    priority: 'high',
    note: 'Reproduced on Android 14 with photos over 10 MB; handed to developers as a bug with the crash log.',
    text: {
      en: {
        subject: 'Mobile app crashes when I attach a photo',
        body: 'Every time I try to attach a photo from the gallery the Android app closes. I have updated to the latest version and restarted the phone.',
        followUp: 'It also happens on my colleague\'s phone. The photos are from the camera, about 12 MB each.',
        reply: 'Hello {name}, thank you for the detailed report. Could you tell me your phone model and Android version, and roughly how large the photos are? That will help our developers reproduce it.\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, the fix is in app version 4.2.1, which is now in the store. After updating, large photos attach normally. Thank you for your patience, and write to us anytime.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'التطبيق يغلق عند إرفاق صورة',
        body: 'في كل مرة أحاول إرفاق صورة من المعرض يُغلق تطبيق أندرويد. قمت بالتحديث إلى آخر إصدار وأعدت تشغيل الهاتف.',
        followUp: 'يحدث نفس الشيء على هاتف زميلي أيضاً. الصور من الكاميرا وحجم كل واحدة تقريباً ١٢ ميغابايت.',
        reply: 'مرحباً {name}، شكراً على التقرير المفصل. هل يمكنك إخباري بطراز الهاتف وإصدار أندرويد وحجم الصور تقريباً؟ هذا سيساعد المطورين على إعادة إنتاج المشكلة.\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، الإصلاح موجود في الإصدار 4.2.1 من التطبيق وهو متاح الآن في المتجر. بعد التحديث يمكن إرفاق الصور الكبيرة بشكل طبيعي. شكراً على صبرك، ويسعدنا تواصلك في أي وقت.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'برنامه موبایل هنگام پیوست کردن عکس بسته می‌شود',
        body: 'هر بار که می‌خواهم عکسی از گالری پیوست کنم، برنامه اندروید بسته می‌شود. برنامه را به آخرین نسخه به‌روز کردم و گوشی را هم ری‌استارت کردم.',
        followUp: 'روی گوشی همکارم هم همین اتفاق می‌افتد. عکس‌ها از دوربین هستند و هر کدام حدود ۱۲ مگابایت.',
        reply: 'سلام {name}، ممنون از گزارش دقیقتان. لطفاً مدل گوشی، نسخه اندروید و حجم تقریبی عکس‌ها را بگویید تا برنامه‌نویسان بتوانند مشکل را بازسازی کنند.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، مشکل در نسخه 4.2.1 برنامه برطرف شده و این نسخه اکنون در فروشگاه هست. بعد از به‌روزرسانی عکس‌های بزرگ بدون مشکل پیوست می‌شوند. ممنون از صبرتان؛ هر وقت لازم بود با ما در تماس باشید.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Мобильное приложение вылетает при прикреплении фото',
        body: 'Каждый раз, когда я пытаюсь прикрепить фото из галереи, приложение на Android закрывается. Обновился до последней версии и перезагрузил телефон.',
        followUp: 'У коллеги на телефоне то же самое. Фото с камеры, примерно по 12 МБ.',
        reply: 'Здравствуйте, {name}! Спасибо за подробное описание. Подскажите, пожалуйста, модель телефона, версию Android и примерный размер фотографий — это поможет разработчикам воспроизвести ошибку.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Исправление вошло в версию приложения 4.2.1, она уже в магазине. После обновления большие фото прикрепляются нормально. Спасибо за терпение, пишите нам в любое время.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'sms-code',
    audience: 'external',
    category: 'login',
    tags: ['2fa', 'sms'],
    team: 'l1',
    escalation: 0.2,
    priority: 'normal',
    note: 'SMS provider reports delivery failures to this operator; switched the customer to the authenticator app.',
    text: {
      en: {
        subject: 'Two-factor code by SMS never arrives',
        body: 'I am not receiving the SMS code when I sign in. I waited ten minutes and asked for a new code three times. My phone number has not changed.',
        followUp: 'Still no SMS. Can I use another way to confirm my sign-in?',
        reply: 'Hello {name}, thank you for writing. Some mobile operators are delaying our messages today. Could you confirm the last four digits of your phone number so I can check the delivery log?\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, I have switched your account to codes from an authenticator app, which do not depend on SMS. The setup steps are in your account settings under Security. Reply here if you need a hand.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'رمز التحقق عبر الرسائل القصيرة لا يصل',
        body: 'لا تصلني رسالة الرمز عند تسجيل الدخول. انتظرت عشر دقائق وطلبت رمزاً جديداً ثلاث مرات. رقم هاتفي لم يتغير.',
        followUp: 'ما زالت الرسالة لا تصل. هل توجد طريقة أخرى لتأكيد الدخول؟',
        reply: 'مرحباً {name}، شكراً لتواصلك. بعض شركات الاتصال تؤخر رسائلنا اليوم. هل يمكنك تأكيد آخر أربعة أرقام من رقم هاتفك لأتحقق من سجل الإرسال؟\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، قمت بتحويل حسابك إلى الرموز من تطبيق المصادقة، وهي لا تعتمد على الرسائل القصيرة. خطوات الإعداد موجودة في إعدادات الحساب ضمن الأمان. رد هنا إذا احتجت مساعدة.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'کد تأیید دومرحله‌ای با پیامک نمی‌رسد',
        body: 'هنگام ورود پیامک کد به دستم نمی‌رسد. ده دقیقه صبر کردم و سه بار کد جدید خواستم. شماره تلفنم هم تغییر نکرده است.',
        followUp: 'هنوز پیامکی نیامده. راه دیگری برای تأیید ورود هست؟',
        reply: 'سلام {name}، ممنون که نوشتید. امروز بعضی اپراتورها پیامک‌های ما را با تأخیر می‌رسانند. لطفاً چهار رقم آخر شماره‌تان را بگویید تا گزارش ارسال را بررسی کنم.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، حساب شما را به کد از برنامه احراز هویت منتقل کردم که به پیامک وابسته نیست. مراحل راه‌اندازی در تنظیمات حساب، بخش امنیت، آمده است. اگر کمک خواستید همین‌جا پاسخ دهید.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'Не приходит SMS с кодом подтверждения',
        body: 'При входе не приходит SMS с кодом. Ждал десять минут и трижды запрашивал новый код. Номер телефона не менялся.',
        followUp: 'SMS так и нет. Можно подтвердить вход как-то по-другому?',
        reply: 'Здравствуйте, {name}! Спасибо за обращение. Сегодня некоторые операторы задерживают наши сообщения. Подтвердите, пожалуйста, последние четыре цифры номера — я проверю журнал доставки.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! Я переключил вашу учётную запись на коды из приложения-аутентификатора — они не зависят от SMS. Инструкция в настройках профиля, раздел «Безопасность». Если понадобится помощь — ответьте на это письмо.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'api-401',
    audience: 'external',
    category: 'integration',
    tags: ['api'],
    team: 'l1',
    escalation: 0.6,
    priority: 'normal',
    note: 'The key was created without the tickets:write scope; asked the customer to issue a new one.',
    text: {
      en: {
        subject: 'API returns 401 with our new key',
        body: 'We created a new API key yesterday and every request to /v1/orders now returns 401 Unauthorized. The old key still works. What are we missing?',
        followUp: 'We regenerated the key once more and still get 401. Request ID is in the log below.',
        reply: 'Hello {name}, thank you for the details. Could you send us the request ID of one failed call and tell us which permissions you chose when creating the key? Please do not send the key itself.\n\nBest regards,\n{agent}',
        fix: 'Hello {name}, the new key lacked the write permission. Once you create a key with "orders: read and write" the calls will succeed; we tested it on your account. Let us know if you want us to look at anything else.\n\nBest regards,\n{agent}',
      },
      ar: {
        subject: 'واجهة البرمجة ترجع الخطأ 401 مع المفتاح الجديد',
        body: 'أنشأنا أمس مفتاحاً جديداً للواجهة البرمجية وكل طلب إلى /v1/orders يرجع الآن 401 غير مصرح. المفتاح القديم ما زال يعمل. ما الذي ينقصنا؟',
        followUp: 'أعدنا إنشاء المفتاح مرة أخرى وما زلنا نحصل على 401. رقم الطلب موجود في السجل أدناه.',
        reply: 'مرحباً {name}، شكراً على التفاصيل. هل يمكنكم إرسال رقم أحد الطلبات الفاشلة وإخبارنا بالصلاحيات التي اخترتموها عند إنشاء المفتاح؟ يرجى عدم إرسال المفتاح نفسه.\n\nمع التحية،\n{agent}',
        fix: 'مرحباً {name}، كان المفتاح الجديد يفتقد صلاحية الكتابة. بعد إنشاء مفتاح بصلاحية "الطلبات: قراءة وكتابة" ستنجح الطلبات، وقد جربنا ذلك على حسابكم. أخبرونا إذا أردتم أن نراجع أي شيء آخر.\n\nمع التحية،\n{agent}',
      },
      fa: {
        subject: 'API با کلید جدید خطای 401 می‌دهد',
        body: 'دیروز یک کلید API جدید ساختیم و حالا همه درخواست‌ها به /v1/orders خطای 401 می‌دهند. کلید قدیمی هنوز کار می‌کند. چه چیزی را جا انداخته‌ایم؟',
        followUp: 'کلید را دوباره ساختیم و باز هم 401 می‌گیریم. شناسه درخواست در لاگ زیر هست.',
        reply: 'سلام {name}، ممنون از توضیحات. لطفاً شناسه یکی از درخواست‌های ناموفق را بفرستید و بگویید هنگام ساخت کلید چه دسترسی‌هایی انتخاب کردید. لطفاً خود کلید را نفرستید.\n\nبا احترام،\n{agent}',
        fix: 'سلام {name}، کلید جدید دسترسی نوشتن نداشت. اگر کلیدی با دسترسی «سفارش‌ها: خواندن و نوشتن» بسازید درخواست‌ها موفق می‌شوند؛ روی حساب شما امتحان کردیم. اگر مورد دیگری بود خبر دهید.\n\nبا احترام،\n{agent}',
      },
      ru: {
        subject: 'API возвращает 401 с новым ключом',
        body: 'Вчера создали новый API-ключ, и теперь все запросы к /v1/orders возвращают 401 Unauthorized. Старый ключ работает. Что мы упустили?',
        followUp: 'Перевыпустили ключ ещё раз — всё равно 401. Идентификатор запроса в логе ниже.',
        reply: 'Здравствуйте, {name}! Спасибо за подробности. Пришлите, пожалуйста, идентификатор одного неудачного запроса и напишите, какие права вы выбрали при создании ключа. Сам ключ присылать не нужно.\n\nС уважением,\n{agent}',
        fix: 'Здравствуйте, {name}! У нового ключа не было права на запись. Создайте ключ с правами «заказы: чтение и запись» — запросы пройдут, мы проверили на вашей учётной записи. Если нужно посмотреть что-то ещё — пишите.\n\nС уважением,\n{agent}',
      },
    },
  },
  {
    key: 'printer',
    audience: 'internal',
    category: 'printer',
    tags: ['hardware', 'office'],
    team: 'it',
    escalation: 0,
    priority: 'normal',
    note: 'Fuser unit worn out; replacement part ordered from the vendor, lent a spare printer meanwhile.',
    text: {
      en: {
        subject: 'Printer on the third floor jams on every page',
        body: 'The printer near the kitchen on the third floor jams on every second page and prints grey stripes. We have a board meeting tomorrow and need to print the packs.',
        followUp: 'It has stopped printing completely now, the screen shows error E-302.',
        reply: 'Hello {name}, thanks for letting us know. A technician will come by within the hour. Until then you can print to the printer next to reception; it is called FL2-RECEPTION.\n\nThanks,\n{agent}',
        fix: 'Hello {name}, the worn part has been replaced and the printer is working again; we printed fifty test pages without a jam. Let us know if it acts up again.\n\nThanks,\n{agent}',
      },
      ar: {
        subject: 'الطابعة في الطابق الثالث تعلق فيها الأوراق',
        body: 'الطابعة بجانب المطبخ في الطابق الثالث تعلق فيها الورقة مع كل صفحة ثانية وتطبع خطوطاً رمادية. لدينا اجتماع مجلس الإدارة غداً ونحتاج إلى طباعة الملفات.',
        followUp: 'توقفت الطابعة عن الطباعة تماماً الآن وتظهر على الشاشة رسالة الخطأ E-302.',
        reply: 'مرحباً {name}، شكراً لإبلاغنا. سيصل فني خلال ساعة. حتى ذلك الحين يمكنك الطباعة على الطابعة المجاورة للاستقبال واسمها FL2-RECEPTION.\n\nشكراً،\n{agent}',
        fix: 'مرحباً {name}، تم استبدال القطعة التالفة وعادت الطابعة للعمل، وطبعنا خمسين صفحة تجريبية دون أي مشكلة. أخبرنا إذا تكرر العطل.\n\nشكراً،\n{agent}',
      },
      fa: {
        subject: 'پرینتر طبقه سوم در هر صفحه کاغذ گیر می‌کند',
        body: 'پرینتر کنار آبدارخانه در طبقه سوم هر دو صفحه یک بار کاغذ گیر می‌کند و خط‌های خاکستری چاپ می‌کند. فردا جلسه هیئت مدیره داریم و باید مدارک را چاپ کنیم.',
        followUp: 'الان کلاً چاپ نمی‌کند و روی صفحه خطای E-302 نشان می‌دهد.',
        reply: 'سلام {name}، ممنون که خبر دادید. یک تکنسین تا یک ساعت دیگر می‌آید. تا آن موقع می‌توانید با پرینتر کنار پذیرش به نام FL2-RECEPTION چاپ کنید.\n\nممنون،\n{agent}',
        fix: 'سلام {name}، قطعه فرسوده تعویض شد و پرینتر دوباره کار می‌کند؛ پنجاه صفحه آزمایشی بدون گیر چاپ کردیم. اگر دوباره مشکل داشت خبر دهید.\n\nممنون،\n{agent}',
      },
      ru: {
        subject: 'Принтер на третьем этаже зажёвывает бумагу',
        body: 'Принтер у кухни на третьем этаже зажёвывает каждый второй лист и печатает серые полосы. Завтра совет директоров, нужно распечатать материалы.',
        followUp: 'Теперь он вообще не печатает, на экране ошибка E-302.',
        reply: 'Здравствуйте, {name}! Спасибо, что сообщили. Техник подойдёт в течение часа. Пока можно печатать на принтер у ресепшена — он называется FL2-RECEPTION.\n\nСпасибо,\n{agent}',
        fix: 'Здравствуйте, {name}! Изношенную деталь заменили, принтер снова работает — напечатали пятьдесят тестовых страниц без замятий. Если снова начнёт капризничать — напишите.\n\nСпасибо,\n{agent}',
      },
    },
  },
  {
    key: '1c-closing',
    audience: 'internal',
    category: '1c-accounting',
    tags: ['1c', 'accounting'],
    team: 'it',
    escalation: 0.55,
    priority: 'high',
    note: 'Period lock date was set to the 1st; the month-end closing needs it moved. Needs an L2 with 1C admin rights.',
    text: {
      en: {
        subject: '1C: error when closing the month',
        body: 'When I run month-end closing in 1C:Accounting it stops with "Period is closed for editing". We must submit the reports by Friday.',
        followUp: 'Same error again this morning, and now the VAT ledger will not build either.',
        reply: 'Hello {name}, thank you. Could you send a screenshot of the error and tell me which organization in 1C you are closing? I will check the period settings.\n\nThanks,\n{agent}',
        fix: 'Hello {name}, the period lock date has been corrected and month-end closing now completes; we also rebuilt the VAT ledger. Please check the figures and tell me if anything looks off.\n\nThanks,\n{agent}',
      },
      ar: {
        subject: 'خطأ في برنامج 1C عند إقفال الشهر',
        body: 'عند تشغيل إقفال نهاية الشهر في برنامج 1C للمحاسبة يتوقف برسالة "الفترة مغلقة للتعديل". يجب أن نسلم التقارير يوم الجمعة.',
        followUp: 'ظهر نفس الخطأ صباح اليوم، والآن لا يتم إنشاء دفتر ضريبة القيمة المضافة أيضاً.',
        reply: 'مرحباً {name}، شكراً. هل يمكنك إرسال صورة للخطأ وإخباري بالمنشأة التي تقوم بإقفالها في 1C؟ سأراجع إعدادات الفترة.\n\nشكراً،\n{agent}',
        fix: 'مرحباً {name}، تم تصحيح تاريخ إقفال الفترة وأصبح إقفال نهاية الشهر يكتمل الآن، كما أعدنا إنشاء دفتر ضريبة القيمة المضافة. يرجى مراجعة الأرقام وإخباري إذا بدا شيء غير صحيح.\n\nشكراً،\n{agent}',
      },
      fa: {
        subject: 'خطای 1C هنگام بستن حساب‌های ماه',
        body: 'وقتی در 1C حسابداری بستن پایان ماه را اجرا می‌کنم با پیام «دوره برای ویرایش بسته است» متوقف می‌شود. باید گزارش‌ها را تا جمعه تحویل بدهیم.',
        followUp: 'امروز صبح هم همان خطا آمد و حالا دفتر مالیات بر ارزش افزوده هم ساخته نمی‌شود.',
        reply: 'سلام {name}، ممنون. لطفاً یک تصویر از خطا بفرستید و بگویید کدام سازمان را در 1C می‌بندید تا تنظیمات دوره را بررسی کنم.\n\nممنون،\n{agent}',
        fix: 'سلام {name}، تاریخ قفل دوره اصلاح شد و بستن پایان ماه اکنون کامل انجام می‌شود؛ دفتر مالیات بر ارزش افزوده را هم دوباره ساختیم. لطفاً ارقام را بررسی کنید و اگر چیزی درست نبود بگویید.\n\nممنون،\n{agent}',
      },
      ru: {
        subject: '1С: ошибка при закрытии месяца',
        body: 'При закрытии месяца в 1С:Бухгалтерии выходит ошибка «Период закрыт для редактирования». Отчётность нужно сдать до пятницы.',
        followUp: 'Сегодня утром снова та же ошибка, а теперь ещё и книга продаж не формируется.',
        reply: 'Здравствуйте, {name}! Спасибо. Пришлите, пожалуйста, скриншот ошибки и уточните, по какой организации в 1С вы закрываете месяц. Я проверю настройки периода.\n\nСпасибо,\n{agent}',
        fix: 'Здравствуйте, {name}! Дату запрета редактирования исправили, закрытие месяца теперь проходит; книгу продаж тоже перестроили. Проверьте, пожалуйста, цифры и напишите, если что-то не сходится.\n\nСпасибо,\n{agent}',
      },
    },
  },
  {
    key: 'vpn',
    audience: 'internal',
    category: 'network',
    tags: ['vpn', 'remote-work'],
    team: 'it',
    escalation: 0.3,
    priority: 'high',
    note: 'Certificate on the laptop expired yesterday; pushed a new one through device management.',
    text: {
      en: {
        subject: 'Cannot connect to the VPN from home',
        body: 'Since this morning the VPN client says "authentication failed" when I connect from home. I have not changed my password. I cannot reach the shared drive.',
        followUp: 'I restarted the laptop as you said, still the same message.',
        reply: 'Hello {name}, thanks for reporting this. Please restart the laptop while it is connected to your home internet, so it can pick up a new certificate, then try the VPN again.\n\nThanks,\n{agent}',
        fix: 'Hello {name}, the certificate on your laptop had expired; we have pushed a new one and the VPN connects again. Let us know if the shared drive is still out of reach.\n\nThanks,\n{agent}',
      },
      ar: {
        subject: 'لا أستطيع الاتصال بالشبكة الافتراضية VPN من المنزل',
        body: 'منذ الصباح يظهر برنامج VPN رسالة "فشل التحقق" عند الاتصال من المنزل. لم أغير كلمة المرور. لا أستطيع الوصول إلى المجلد المشترك.',
        followUp: 'أعدت تشغيل الحاسوب كما طلبت وما زالت نفس الرسالة تظهر.',
        reply: 'مرحباً {name}، شكراً على البلاغ. يرجى إعادة تشغيل الحاسوب وهو متصل بإنترنت المنزل حتى يحصل على شهادة جديدة، ثم جرّب الاتصال بالـ VPN مرة أخرى.\n\nشكراً،\n{agent}',
        fix: 'مرحباً {name}، كانت الشهادة على حاسوبك منتهية الصلاحية، وقد أرسلنا شهادة جديدة وأصبح الاتصال بالـ VPN يعمل. أخبرنا إذا بقي المجلد المشترك غير متاح.\n\nشكراً،\n{agent}',
      },
      fa: {
        subject: 'از خانه به VPN وصل نمی‌شوم',
        body: 'از امروز صبح وقتی از خانه وصل می‌شوم برنامه VPN پیام «احراز هویت ناموفق» می‌دهد. رمزم را عوض نکرده‌ام. به پوشه اشتراکی دسترسی ندارم.',
        followUp: 'همان‌طور که گفتید لپ‌تاپ را ری‌استارت کردم ولی هنوز همان پیام می‌آید.',
        reply: 'سلام {name}، ممنون از گزارشتان. لطفاً لپ‌تاپ را در حالی که به اینترنت خانه وصل است ری‌استارت کنید تا گواهی جدید دریافت شود و بعد دوباره VPN را امتحان کنید.\n\nممنون،\n{agent}',
        fix: 'سلام {name}، گواهی روی لپ‌تاپ شما منقضی شده بود؛ گواهی جدید فرستادیم و VPN دوباره وصل می‌شود. اگر هنوز به پوشه اشتراکی دسترسی نداشتید خبر دهید.\n\nممنون،\n{agent}',
      },
      ru: {
        subject: 'Не подключается VPN из дома',
        body: 'С утра VPN-клиент пишет «ошибка аутентификации», когда подключаюсь из дома. Пароль я не менял. Нет доступа к общей папке.',
        followUp: 'Перезагрузил ноутбук, как вы сказали, — сообщение то же.',
        reply: 'Здравствуйте, {name}! Спасибо, что сообщили. Перезагрузите, пожалуйста, ноутбук, подключённый к домашнему интернету, — он получит новый сертификат. Потом попробуйте VPN ещё раз.\n\nСпасибо,\n{agent}',
        fix: 'Здравствуйте, {name}! На ноутбуке истёк сертификат; мы выпустили новый, и VPN снова подключается. Напишите, если общая папка всё ещё недоступна.\n\nСпасибо,\n{agent}',
      },
    },
  },
  {
    key: 'new-employee',
    audience: 'internal',
    category: 'access',
    tags: ['onboarding', 'accounts'],
    team: 'it',
    escalation: 0,
    priority: 'normal',
    note: 'Accounts created from the HR template; laptop imaged and waiting at the IT desk.',
    text: {
      en: {
        subject: 'Accounts and laptop for a new colleague starting Monday',
        body: 'A new analyst joins our department on Monday. Please prepare a laptop, an email account and access to the shared drive and the CRM.',
        followUp: 'One more thing: she will also need read access to 1C reports.',
        reply: 'Hello {name}, thanks for the heads-up. We will prepare everything by Friday evening. Could you confirm her full name and her manager so we can set the right permissions?\n\nThanks,\n{agent}',
        fix: 'Hello {name}, all set: the laptop is ready at the IT desk, and the email, shared drive, CRM and 1C read access are active. The first sign-in details will be handed over in person on Monday.\n\nThanks,\n{agent}',
      },
      ar: {
        subject: 'حسابات وحاسوب لزميلة جديدة تبدأ يوم الاثنين',
        body: 'تنضم محللة جديدة إلى قسمنا يوم الاثنين. نرجو تجهيز حاسوب محمول وبريد إلكتروني وصلاحية الوصول إلى المجلد المشترك ونظام إدارة العملاء.',
        followUp: 'شيء آخر: ستحتاج أيضاً إلى صلاحية قراءة تقارير 1C.',
        reply: 'مرحباً {name}، شكراً على إبلاغنا مسبقاً. سنجهز كل شيء قبل مساء الجمعة. هل يمكنك تأكيد اسمها الكامل واسم مديرها حتى نضبط الصلاحيات المناسبة؟\n\nشكراً،\n{agent}',
        fix: 'مرحباً {name}، كل شيء جاهز: الحاسوب في مكتب تقنية المعلومات، والبريد والمجلد المشترك ونظام العملاء وصلاحية قراءة 1C مفعّلة. سنسلّمها بيانات الدخول الأولى شخصياً يوم الاثنين.\n\nشكراً،\n{agent}',
      },
      fa: {
        subject: 'حساب کاربری و لپ‌تاپ برای همکار جدید از دوشنبه',
        body: 'یک تحلیلگر جدید از دوشنبه به واحد ما می‌پیوندد. لطفاً لپ‌تاپ، ایمیل و دسترسی به پوشه اشتراکی و CRM را آماده کنید.',
        followUp: 'یک مورد دیگر: ایشان به دسترسی خواندن گزارش‌های 1C هم نیاز دارد.',
        reply: 'سلام {name}، ممنون که از قبل خبر دادید. تا عصر جمعه همه چیز را آماده می‌کنیم. لطفاً نام کامل ایشان و مدیرشان را تأیید کنید تا دسترسی‌ها را درست تنظیم کنیم.\n\nممنون،\n{agent}',
        fix: 'سلام {name}، همه چیز آماده است: لپ‌تاپ در میز فناوری اطلاعات است و ایمیل، پوشه اشتراکی، CRM و دسترسی خواندن 1C فعال شده‌اند. اطلاعات اولین ورود را دوشنبه حضوری تحویل می‌دهیم.\n\nممنون،\n{agent}',
      },
      ru: {
        subject: 'Учётные записи и ноутбук для нового сотрудника с понедельника',
        body: 'В понедельник к нам в отдел выходит новый аналитик. Подготовьте, пожалуйста, ноутбук, почту, доступ к общей папке и CRM.',
        followUp: 'И ещё: ей нужен доступ на чтение к отчётам 1С.',
        reply: 'Здравствуйте, {name}! Спасибо, что предупредили заранее. Всё подготовим к вечеру пятницы. Подтвердите, пожалуйста, ФИО сотрудницы и её руководителя, чтобы мы выдали правильные права.\n\nСпасибо,\n{agent}',
        fix: 'Здравствуйте, {name}! Всё готово: ноутбук ждёт в ИТ-отделе, почта, общая папка, CRM и доступ к отчётам 1С включены. Данные для первого входа передадим лично в понедельник.\n\nСпасибо,\n{agent}',
      },
    },
  },
  {
    key: 'mailbox-full',
    audience: 'internal',
    category: 'email',
    tags: ['mailbox'],
    team: 'it',
    escalation: 0,
    priority: 'low',
    note: 'Mailbox at 49.8 of 50 GB; enabled the online archive and moved mail older than two years.',
    text: {
      en: {
        subject: 'My mailbox is full and I cannot send email',
        body: 'Outlook says my mailbox is full and my messages stay in the Outbox. I already emptied Deleted Items. Can you increase the limit?',
        followUp: 'Clients are telling me my replies bounce. This is urgent for me.',
        reply: 'Hello {name}, thanks for writing. I am turning on the online archive for your mailbox, which will free up space without losing anything. It takes about an hour to apply.\n\nThanks,\n{agent}',
        fix: 'Hello {name}, the archive is active and older mail has moved there; your mailbox now has plenty of space and sending works again. Your archived mail is in the "Online Archive" folder.\n\nThanks,\n{agent}',
      },
      ar: {
        subject: 'صندوق بريدي ممتلئ ولا أستطيع إرسال الرسائل',
        body: 'يظهر Outlook أن صندوق بريدي ممتلئ وتبقى رسائلي في صندوق الصادر. أفرغت العناصر المحذوفة بالفعل. هل يمكن زيادة المساحة؟',
        followUp: 'يخبرني العملاء أن ردودي ترتد إليهم. الأمر عاجل بالنسبة لي.',
        reply: 'مرحباً {name}، شكراً لتواصلك. سأفعّل الأرشيف الإلكتروني لصندوق بريدك، وهذا سيوفر مساحة دون فقدان أي رسالة. يستغرق التطبيق نحو ساعة.\n\nشكراً،\n{agent}',
        fix: 'مرحباً {name}، الأرشيف مفعّل ونُقلت الرسائل القديمة إليه، وأصبح في صندوقك مساحة كافية وعاد الإرسال يعمل. ستجد الرسائل المؤرشفة في مجلد "الأرشيف عبر الإنترنت".\n\nشكراً،\n{agent}',
      },
      fa: {
        subject: 'صندوق ایمیلم پر شده و نمی‌توانم ایمیل بفرستم',
        body: 'Outlook می‌گوید صندوق پستی من پر است و پیام‌هایم در صندوق خروجی می‌مانند. موارد حذف‌شده را هم خالی کردم. ممکن است ظرفیت را بیشتر کنید؟',
        followUp: 'مشتری‌ها می‌گویند پاسخ‌های من برگشت می‌خورد. برایم فوری است.',
        reply: 'سلام {name}، ممنون که نوشتید. آرشیو آنلاین را برای صندوق شما فعال می‌کنم که بدون از دست رفتن چیزی فضا آزاد می‌کند. اعمال آن حدود یک ساعت طول می‌کشد.\n\nممنون،\n{agent}',
        fix: 'سلام {name}، آرشیو فعال شد و ایمیل‌های قدیمی به آن منتقل شدند؛ اکنون فضای کافی دارید و ارسال دوباره کار می‌کند. ایمیل‌های آرشیوشده در پوشه «Online Archive» هستند.\n\nممنون،\n{agent}',
      },
      ru: {
        subject: 'Переполнен почтовый ящик, письма не отправляются',
        body: 'Outlook пишет, что ящик переполнен, и письма висят в «Исходящих». Корзину я уже очистил. Можно увеличить лимит?',
        followUp: 'Клиенты говорят, что мои ответы им не доходят. Для меня это срочно.',
        reply: 'Здравствуйте, {name}! Спасибо за обращение. Включаю для вашего ящика онлайн-архив — он освободит место, ничего не потеряется. Применение займёт около часа.\n\nСпасибо,\n{agent}',
        fix: 'Здравствуйте, {name}! Архив включён, старые письма перенесены туда; места в ящике теперь достаточно, отправка работает. Архивные письма — в папке «Online Archive».\n\nСпасибо,\n{agent}',
      },
    },
  },
];

/** A customer's short thanks before the ticket is solved. */
export const thanks: Record<Lang, string[]> = {
  en: ['Thank you, it works now!', 'Great, that solved it. Thanks for the quick help.', 'All good on our side now, thank you.'],
  ar: ['شكراً جزيلاً، كل شيء يعمل الآن!', 'ممتاز، تم حل المشكلة. شكراً على سرعة المساعدة.', 'كل شيء على ما يرام الآن، شكراً لكم.'],
  fa: ['خیلی ممنون، الان درست کار می‌کند!', 'عالی، مشکل حل شد. ممنون از کمک سریعتان.', 'الان همه چیز درست است، سپاسگزارم.'],
  ru: ['Спасибо, всё заработало!', 'Отлично, проблема решена. Спасибо за быструю помощь.', 'У нас всё в порядке, спасибо!'],
};

/** What an agent tells colleagues when they pause a ticket or hand it on. */
export const holdNotes = [
  'Waiting for the vendor to ship the replacement part; ETA next week.',
  'On hold until the developers release the fix; linked to the open bug.',
  'Customer is on holiday until the 15th, agreed to pick it up then.',
];

export const escalationNote = (summary: string, agent: string) =>
  `Escalating to Level 2. Summary for the next agent: ${summary} Steps already done by ${agent}: checked the account, asked the customer for details, reproduced the problem. No need to ask the customer again.`;

export const transferNote = (from: string, to: string) =>
  `Handing over from ${from} to ${to}, who knows this area better and is on shift now. The customer has everything they need so far.`;

export const pendingReplies: Record<Lang, string> = {
  en: 'Hello {name}, we are waiting for a little more information from you before we can continue. Whenever you are ready, just reply here.\n\nBest regards,\n{agent}',
  ar: 'مرحباً {name}، ننتظر منك بعض المعلومات الإضافية قبل أن نتابع. عندما تكون جاهزاً فقط رد على هذه الرسالة.\n\nمع التحية،\n{agent}',
  fa: 'سلام {name}، برای ادامه کار منتظر کمی اطلاعات بیشتر از طرف شما هستیم. هر وقت آماده بودید همین‌جا پاسخ دهید.\n\nبا احترام،\n{agent}',
  ru: 'Здравствуйте, {name}! Чтобы продолжить, нам нужно ещё немного информации от вас. Как будете готовы — просто ответьте на это сообщение.\n\nС уважением,\n{agent}',
};
