import type { Language } from '../../../../../common/enums.js';

/**
 * Customer notifications in the desk's four languages. {n} number, {hours} the response time in the
 * plural form its number takes (Intl.PluralRules: Arabic has six), {subject} the request.
 */
type Strings = { ackSubject: string; ack: string[]; resolvedSubject: string; resolved: string[]; greeting: string; team: string; hours: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string } };

export const notificationStrings: Record<Language, Strings> = {
  en: {
    ackSubject: 'We received your request: {subject}',
    greeting: 'Hello {name},',
    ack: ['Thank you for writing to us. Your request has number #{n}.', 'We usually answer within {hours}.', 'To add anything, just reply to this email.'],
    resolvedSubject: 'Your request was resolved: {subject}',
    resolved: ['Your request #{n} was marked as resolved.', 'If the problem is not solved, reply to this email and the request opens again.'],
    team: 'The support team',
    hours: { one: '{h} hour', other: '{h} hours' },
  },
  ar: {
    ackSubject: 'تلقينا طلبك: {subject}',
    greeting: 'مرحبًا {name}،',
    ack: ['شكرًا لتواصلك معنا. رقم طلبك هو #{n}.', 'نرد عادةً خلال {hours}.', 'لإضافة أي شيء، يكفي الرد على هذه الرسالة.'],
    resolvedSubject: 'تم حل طلبك: {subject}',
    resolved: ['تم وضع علامة "تم الحل" على طلبك #{n}.', 'إذا لم تُحل المشكلة، فرد على هذه الرسالة وسيُعاد فتح الطلب.'],
    team: 'فريق الدعم',
    hours: { one: 'ساعة واحدة', two: 'ساعتين', few: '{h} ساعات', other: '{h} ساعة' },
  },
  fa: {
    ackSubject: 'درخواست شما دریافت شد: {subject}',
    greeting: 'سلام {name}،',
    ack: ['از پیام شما سپاسگزاریم. شماره درخواست شما #{n} است.', 'معمولاً ظرف {hours} پاسخ می‌دهیم.', 'برای افزودن هر نکته‌ای، کافی است به همین ایمیل پاسخ دهید.'],
    resolvedSubject: 'درخواست شما حل شد: {subject}',
    resolved: ['درخواست #{n} شما به‌عنوان حل‌شده علامت خورد.', 'اگر مشکل حل نشده است، به همین ایمیل پاسخ دهید تا درخواست دوباره باز شود.'],
    team: 'تیم پشتیبانی',
    hours: { other: '{h} ساعت' },
  },
  ru: {
    ackSubject: 'Мы получили ваше обращение: {subject}',
    greeting: 'Здравствуйте, {name}!',
    ack: ['Спасибо, что написали нам. Номер вашего обращения: #{n}.', 'Обычно мы отвечаем в течение {hours}.', 'Чтобы что-то добавить, просто ответьте на это письмо.'],
    resolvedSubject: 'Ваше обращение решено: {subject}',
    resolved: ['Обращение #{n} отмечено как решённое.', 'Если проблема не решена, ответьте на это письмо, и обращение откроется снова.'],
    team: 'Служба поддержки',
    hours: { other: '{h} ч' },
  },
};
