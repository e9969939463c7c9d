/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in for the syslog daemon: binds a datagram socket at PATH (the
 * api suite puts it at /dev/log in a private mount namespace), writes
 * "ready" to READY, and copies every datagram to OUT until STOP exists.
 *
 * Usage: syslog_sink PATH READY OUT STOP
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { 0, 100000 };
	char buf[4096];
	int s, out;
	FILE *r;

	if (argc != 5 || strlen(argv[1]) >= sizeof(a.sun_path))
		return 2;
	strcpy(a.sun_path, argv[1]);
	unlink(argv[1]);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
			setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)) != 0) {
		perror("syslog_sink");
		return 2;
	}
	out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	r = fopen(argv[2], "w");
	if (out < 0 || r == NULL)
		return 2;
	fputs("ready\n", r);
	fclose(r);
	/* a datagram already queued is read before STOP is looked at */
	for (;;) {
		ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);

		if (n > 0) {
			buf[n] = '\0';
			dprintf(out, "%s\n", buf);
		} else if (access(argv[4], F_OK) == 0) {
			break;
		}
	}
	close(out);
	return 0;
}
