/**
 * How the case and quoted-wait figures are counted, in the hall's words: printed under the tables on
 * screen, in the CSV and in the PDF report (case-facts.ts and quotes.ts hold the rules themselves).
 */
export const CASE_DEFINITIONS =
  '办件按事件发生当日计：受理、一次性告知、不予受理、即办秒批（规则自动批准）、代收代办转报、办不成事反映均计入办理该事项的窗口和工作人员；跨域通办受理=代其他地区收件的受理；办结=批准或不予许可，承诺时限内=不晚于受理时承诺的办结日期；反映未办结、逾期未办结按查询时的状态计（逾期未办结计入受理当日）。板块按事项目录中事项或一件事所属板块。';

export const QUOTE_DEFINITIONS =
  '预计等待为取号时取号机告知的分钟数；实际等待为取号至首次叫号。只计已叫号且取号时有预计的号码（无窗口办理时不预计）。平均偏差=|实际−预计|的平均；平均实际减预计为正表示比告知的等得久；兑现=实际不超过预计5分钟（±5分钟内或早于预计）。';
