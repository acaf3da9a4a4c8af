-- SPDX-License-Identifier: Apache-2.0
-- Response templates 常用语: ready texts the action forms offer for a department's
-- feedback 处置反馈, a rejection or return 不予立案/退回, and the reply to the reporter at
-- closing 答复, each for a category code and every category below it ('' = any
-- category), seeded with defaults an admin edits. Also the keyed hash of a caller's
-- phone beside the sealed copy (citizen reports, 坐席录入 and 12345 orders), so the case list finds a caller's cases exactly by an
-- index without opening any sealed value.
CREATE TABLE response_template (
  id       INTEGER PRIMARY KEY,
  kind     TEXT NOT NULL CHECK (kind IN ('feedback', 'reject', 'reply')),
  category TEXT NOT NULL DEFAULT '',
  title    TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
  body     TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
  sort     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX response_template_by_kind ON response_template(kind, category, sort, id);

ALTER TABLE citizen_report ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX citizen_report_by_phone ON citizen_report(phone_hash, case_id) WHERE phone_hash <> '';
ALTER TABLE hotline_order ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX hotline_order_by_phone ON hotline_order(phone_hash, case_id) WHERE phone_hash <> '';

INSERT INTO response_template(kind, category, title, body, sort) VALUES
 ('feedback', '', '已处置完毕', '经现场核实，问题已处置完毕，现场已恢复正常。处置前后照片见附件。', 1),
 ('feedback', '', '已转交专业单位', '经现场核实，该问题需专业单位处置，已联系相关单位并约定处置时间，将持续跟进。', 2),
 ('feedback', '', '现场未发现问题', '经现场核实，未发现所述问题，已拍照留存现场情况。', 3),
 ('feedback', 'E01', '垃圾已清运', '已安排环卫人员清理垃圾，现场已恢复整洁，并加强该点位巡查保洁频次。', 0),
 ('feedback', 'E05', '占道经营已劝离', '已对占道经营人员进行劝导并劝离，现场通行已恢复，后续将加强巡查。', 0),
 ('feedback', 'C01', '设施已修复', '已安排维修人员对受损设施进行修复，经检查使用正常。', 0),
 ('feedback', 'C02', '道路设施已修复', '已对损坏的道路交通设施完成修复或更换，现场已设置警示并恢复通行。', 0),
 ('feedback', 'G01', '纠纷已调解', '已组织双方当事人进行调解，双方达成一致意见，矛盾已化解。', 0),
 ('reject', '', '重复上报', '该问题与已立案案件重复，已合并处理，不再重复立案。', 1),
 ('reject', '', '不属于受理范围', '经核实，该事项不属于网格化管理受理范围，已告知反映人通过相应渠道办理。', 2),
 ('reject', '', '信息不全无法核实', '上报信息不完整（缺少准确位置或现场照片），无法核实，请补充后重新上报。', 3),
 ('reject', '', '派遣有误退回', '经核实，该事项不属于本单位职责范围，请指挥中心重新派遣。', 4),
 ('reply', '', '已办结答复', '您好，您反映的问题已处理完毕，感谢您对社区治理工作的支持。', 1),
 ('reply', '', '正在办理答复', '您好，您反映的问题已受理并派遣至相关部门，正在处理中，处理结果将及时告知您。', 2),
 ('reply', '', '不予受理答复', '您好，经核实，您反映的事项不属于本平台受理范围，建议您拨打12345热线咨询办理渠道。', 3),
 ('reply', 'E01', '环境问题办结答复', '您好，您反映的市容环境问题已安排人员清理整治，现场已恢复整洁，感谢您的监督。', 0);
