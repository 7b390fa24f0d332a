from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from rest_framework import serializers, viewsets

from battlemap.core.scoping import object_for

from .models import Note


@login_required
def note_detail(request, pk: int):
    note = object_for(Note.objects.visible_to(request.user), request.user, "view_registry", pk=pk)
    return HttpResponse(note.text)


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "village", "text"]


class NoteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NoteSerializer

    def get_queryset(self):
        return Note.objects.visible_to(self.request.user).order_by("pk")
