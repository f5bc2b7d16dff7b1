// Child process of the IPC test app: answers each message after a random delay, echoing its id if any.
process.on('message', (message) => {
  setTimeout(
    () => {
      process.send?.({ id: message.id, user: message.user, path: message.path });
    },
    Math.floor(Math.random() * 16),
  );
});
process.on('disconnect', () => process.exit(0));
