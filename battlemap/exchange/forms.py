from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 100


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel文件"),
        help_text=_(
            ".xlsx（按模板填写；建档立卡人员表也可以是只含人员表的 .csv），不超过%(mb)d MB。"
        )
        % {"mb": MAX_UPLOAD_MB},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                _("请上传 .xlsx 或 .csv 文件（.xls 请先在Excel中另存为 .xlsx）。")
            )
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("文件超过%(mb)d MB，请按乡镇分开导入。") % {"mb": MAX_UPLOAD_MB}
            )
        return upload
